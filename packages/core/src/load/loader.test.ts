import { describe, expect, it } from "vitest";
import { closeAllAgents, createLoader } from "./loader.ts";

// The fixture's pack opens a "connection" per load (it registers onClose) and counts builds and closes.
const file = new URL("../../test/fixtures/live/live.agent.yaml", import.meta.url).pathname;
const handle = () =>
  (globalThis as Record<symbol, unknown>)[Symbol.for("parley.test.livePack")] as {
    closes: number;
    builds: number;
  };

describe("loader instances", () => {
  it("two loaders never see each other's agents: each closes only its own", async () => {
    const a = createLoader();
    const b = createLoader();
    await a.load(file);
    const before = { ...handle() };
    await b.load(file);
    await b.load(file);
    expect(handle().builds).toBe(before.builds + 2);
    expect(a.openAgents).toBe(1);
    expect(b.openAgents).toBe(2);

    await a.close();
    expect(handle().closes).toBe(before.closes + 1);
    expect(a.openAgents).toBe(0);
    expect(b.openAgents).toBe(2); // untouched by a's close

    await b.close();
    expect(handle().closes).toBe(before.closes + 3);
  });

  it("closeAllAgents releases the agents of every loader", async () => {
    const loader = createLoader({ env: { ...process.env } });
    const other = createLoader();
    await loader.load(file);
    await other.load(file);
    const before = handle().closes;
    await closeAllAgents();
    expect(handle().closes).toBe(before + 2);
    expect(loader.openAgents + other.openAgents).toBe(0);
  });
});
