import { describe, expect, it } from "vitest";
import { assertTransition, IllegalCallTransitionError, isTerminal } from "./call-state.ts";
import { ConcurrencyGate } from "./concurrency.ts";
import { callFingerprint } from "./duplicates.ts";

describe("the call state machine", () => {
  it("allows the documented path and refuses everything else", () => {
    expect(() => assertTransition("c", "received", "awaiting_approval")).not.toThrow();
    expect(() => assertTransition("c", "awaiting_approval", "queued")).not.toThrow();
    expect(() => assertTransition("c", "queued", "running")).not.toThrow();
    expect(() => assertTransition("c", "running", "timed_out")).not.toThrow();
    expect(() => assertTransition("c", "completed", "failed")).toThrow(IllegalCallTransitionError);
    expect(() => assertTransition("c", "awaiting_approval", "completed")).toThrow(
      "call c: illegal transition awaiting_approval → completed",
    );
    expect(() => assertTransition("c", "queued", "rejected")).toThrow(IllegalCallTransitionError);
    expect(
      ["completed", "failed", "timed_out", "cancelled", "rejected"].every((s) =>
        isTerminal(s as never),
      ),
    ).toBe(true);
    expect(isTerminal("running")).toBe(false);
  });
});

describe("the concurrency gate", () => {
  it("serves waiters in order, and a full tool does not block other tools", () => {
    const gate = new ConcurrencyGate(3);
    const started: string[] = [];
    const s = (name: string) => () => started.push(name);
    expect(gate.acquire("a", 1, s("a1"))).toBe(true);
    expect(gate.acquire("a", 1, s("a2"))).toBe(false);
    expect(gate.acquire("a", 1, s("a3"))).toBe(false);
    expect(gate.acquire("b", 5, s("b1"))).toBe(true); // a is full, b is not: b runs now
    expect(gate.acquire("b", 5, s("b2"))).toBe(true);
    expect(gate.acquire("b", 5, s("b3"))).toBe(false); // the session (3) is full
    gate.release("b"); // a1 still runs, so a2 keeps waiting; b3 takes the freed slot
    expect(started).toEqual(["b3"]);
    gate.release("a");
    expect(started).toEqual(["b3", "a2"]);
    gate.release("a");
    expect(started).toEqual(["b3", "a2", "a3"]);
    expect(gate.waiting).toBe(0);
    expect(gate.running).toBe(3);
  });

  it("withdraws a waiter that was cancelled", () => {
    const gate = new ConcurrencyGate(1);
    const started: string[] = [];
    gate.acquire("a", 9, () => started.push("1"));
    const second = () => started.push("2");
    gate.acquire("a", 9, second);
    gate.withdraw(second);
    gate.release("a");
    expect(started).toEqual([]);
    expect(gate.running).toBe(0);
  });
});

describe("duplicate fingerprints", () => {
  it("match the same arguments in any key order and differ otherwise", () => {
    expect(callFingerprint("t", { a: 1, b: { y: 2, x: [1, 2] } })).toBe(
      callFingerprint("t", { b: { x: [1, 2], y: 2 }, a: 1 }),
    );
    expect(callFingerprint("t", { a: 1 })).not.toBe(callFingerprint("t", { a: "1" }));
    expect(callFingerprint("t", { a: 1 })).not.toBe(callFingerprint("u", { a: 1 }));
  });
});
