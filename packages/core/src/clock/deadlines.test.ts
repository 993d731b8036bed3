import { describe, expect, it } from "vitest";
import { Deadlines, deadlinesOf } from "./deadlines.ts";
import { systemClock } from "./index.ts";
import { VirtualClock } from "./virtual-clock.ts";

/** A deadline that notes when it ran (the clock's time) under its name. */
function noted(name: string, clock: VirtualClock, log: string[], then?: () => void) {
  return {
    dueAt: 0,
    due() {
      log.push(`${name}@${clock.now()}`);
      then?.();
    },
  };
}

describe("deadlines on one shared timer", () => {
  it("runs each deadline once, at its time, on one pending timer", async () => {
    const clock = new VirtualClock();
    const deadlines = new Deadlines(clock);
    const log: string[] = [];
    deadlines.arm(noted("b", clock, log), 2_000);
    deadlines.arm(noted("a", clock, log), 1_000);
    deadlines.arm(noted("c", clock, log), 3_000);
    expect(clock.pending).toBe(1);
    await clock.advance(10_000);
    expect(log).toEqual(["a@1000", "b@2000", "c@3000"]);
    expect(clock.pending).toBe(0);
  });

  it("moves a re-armed deadline, runs deadlines reached together in the order armed, and leaves no timer when all are disarmed", async () => {
    const clock = new VirtualClock();
    const deadlines = new Deadlines(clock);
    const log: string[] = [];
    const a = noted("a", clock, log);
    const b = noted("b", clock, log);
    deadlines.arm(a, 1_000);
    deadlines.arm(b, 1_000);
    deadlines.arm(a, 1_000); // re-armed: now after b
    await clock.advance(1_000);
    expect(log).toEqual(["b@1000", "a@1000"]);
    deadlines.arm(a, 500);
    deadlines.arm(a, 5_000);
    await clock.advance(1_000);
    expect(log).toHaveLength(2);
    deadlines.disarm(a);
    expect(clock.pending).toBe(0);
    expect(deadlines.size).toBe(0);
    await clock.advance(10_000);
    expect(log).toHaveLength(2);
  });

  it("lets a deadline arm itself again from due()", async () => {
    const clock = new VirtualClock();
    const deadlines = deadlinesOf(clock);
    expect(deadlinesOf(clock)).toBe(deadlines);
    const log: string[] = [];
    let again = 2;
    const repeat = noted("r", clock, log, () => {
      if (again-- > 0) deadlines.arm(repeat, 100);
    });
    deadlines.arm(repeat, 100);
    await clock.advance(1_000);
    expect(log).toEqual(["r@100", "r@200", "r@300"]);
    expect(clock.pending).toBe(0);
  });

  it("runs on the real clock, not before its time", async () => {
    const deadlines = deadlinesOf(systemClock);
    const ran = await new Promise<number>((resolve) => {
      const d = {
        dueAt: 0,
        due: () => resolve(systemClock.now() - d.dueAt),
      };
      deadlines.arm(d, 5);
    });
    expect(ran).toBeGreaterThanOrEqual(0);
  });
});
