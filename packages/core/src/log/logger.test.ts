import { afterEach, describe, expect, it } from "vitest";
import { createLogger, type LogRecord, setLogSink } from "./logger.ts";

describe("the namespaced logger", () => {
  afterEach(() => {
    setLogSink(undefined, { level: "debug" });
  });

  it("redacts secrets in messages and data before they reach the sink", () => {
    const records: LogRecord[] = [];
    setLogSink((r) => records.push(r));
    const log = createLogger("parley:runtime").child("queue");
    log.warn("connecting with Bearer sk-abcdefghijklmnop", {
      headers: { Authorization: "Bearer sk-abcdefghijkl" },
      n: 1,
    });
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      namespace: "parley:runtime:queue",
      level: "warn",
      message: "connecting with [redacted]",
      data: { headers: { Authorization: "[redacted]" }, n: 1 },
    });
    expect(JSON.stringify(records)).not.toContain("sk-abc");
  });

  it("filters below the sink's level and survives a sink that throws", () => {
    const records: LogRecord[] = [];
    setLogSink((r) => records.push(r), { level: "warn" });
    const log = createLogger("parley:x");
    log.debug("hidden");
    log.info("hidden");
    log.error("shown");
    expect(records.map((r) => r.message)).toEqual(["shown"]);
    expect(log.enabled("debug")).toBe(false);
    setLogSink(() => {
      throw new Error("broken sink");
    });
    expect(() => log.error("still fine")).not.toThrow();
  });
});
