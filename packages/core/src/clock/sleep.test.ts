import { describe, expect, it } from "vitest";
import { sleep } from "./sleep.ts";
import { VirtualClock } from "./virtual-clock.ts";

describe("sleep", () => {
  it("resolves once its time has passed on the clock, not before", async () => {
    const clock = new VirtualClock();
    let done = false;
    const slept = sleep(800, { clock }).then(() => {
      done = true;
    });
    await clock.advance(799);
    expect(done).toBe(false);
    await clock.advance(1);
    await slept;
    expect(done).toBe(true);
    expect(clock.pending).toBe(0);
  });

  it("rejects with the signal's reason when aborted, and leaves no timer behind", async () => {
    const clock = new VirtualClock();
    const controller = new AbortController();
    const slept = sleep(800, { clock, signal: controller.signal });
    expect(clock.pending).toBe(1);
    controller.abort(new Error("call cancelled"));
    await expect(slept).rejects.toThrow("call cancelled");
    expect(clock.pending).toBe(0);
  });

  it("rejects at once for a signal already aborted", async () => {
    const clock = new VirtualClock();
    await expect(
      sleep(10, { clock, signal: AbortSignal.abort(new Error("gone")) }),
    ).rejects.toThrow("gone");
    expect(clock.pending).toBe(0);
  });

  it("waits on real timers without a clock", async () => {
    const started = performance.now();
    await sleep(5);
    expect(performance.now() - started).toBeGreaterThanOrEqual(4);
  });
});
