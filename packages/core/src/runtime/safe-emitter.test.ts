import { describe, expect, it } from "vitest";
import { SafeEmitter } from "./safe-emitter.ts";

type Events = { ping: (n: number) => void; pong: (n: number) => void };

describe("the safe emitter", () => {
  it("reports a throwing or rejecting listener and still calls the others", async () => {
    const failures: string[] = [];
    const e = new SafeEmitter<Events>((error, event) =>
      failures.push(`${event}: ${(error as Error).message}`),
    );
    const seen: number[] = [];
    e.on("ping", () => {
      throw new Error("boom");
    });
    e.on("ping", async () => {
      throw new Error("async boom");
    });
    e.on("ping", (n) => seen.push(n));
    expect(() => e.emit("ping", 1)).not.toThrow();
    await Promise.resolve();
    expect(seen).toEqual([1]);
    expect(failures).toEqual(["ping: boom", "ping: async boom"]);
  });

  it("removes a listener with the function that was registered, and honours once", () => {
    const e = new SafeEmitter<Events>(() => {});
    const seen: number[] = [];
    const fn = (n: number) => seen.push(n);
    e.on("ping", fn);
    e.once("ping", (n) => seen.push(n * 10));
    e.emit("ping", 1);
    e.off("ping", fn);
    e.emit("ping", 2);
    expect(seen).toEqual([1, 10]);
    expect(e.listenerCount("ping")).toBe(0);
  });

  it("reports a function listening to two events under the event that failed, and removes each separately", () => {
    const failures: string[] = [];
    const e = new SafeEmitter<Events>((_error, event) => failures.push(event));
    const fn = (n: number) => {
      if (n > 0) throw new Error("boom");
    };
    e.on("ping", fn);
    e.on("pong", fn);
    e.emit("pong", 1);
    e.emit("ping", 1);
    expect(failures).toEqual(["pong", "ping"]);
    e.off("pong", fn);
    expect([e.listenerCount("ping"), e.listenerCount("pong")]).toEqual([1, 0]);
  });
});
