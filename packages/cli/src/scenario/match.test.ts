import { describe, expect, it } from "vitest";
import { partialMatch, sayMatches } from "./match.ts";

describe("partial argument and output matching", () => {
  it("matches objects on the keys given, recursively, strings case-insensitively", () => {
    expect(partialMatch({ nights: 2 }, { nights: 2, room: "double" })).toBe(true);
    expect(partialMatch({ guest: { name: "ada" } }, { guest: { name: "Ada", age: 36 } })).toBe(
      true,
    );
    expect(partialMatch({ nights: 2 }, { nights: 3 })).toBe(false);
    expect(partialMatch({ nights: 2 }, {})).toBe(false);
    expect(partialMatch({ nights: 2 }, "nights: 2")).toBe(false);
  });

  it("matches lists by containment and numbers said as strings", () => {
    expect(
      partialMatch(
        { rooms: [{ type: "suite" }] },
        { rooms: [{ type: "double" }, { type: "suite", free: 2 }] },
      ),
    ).toBe(true);
    expect(partialMatch({ rooms: [{ type: "single" }] }, { rooms: [{ type: "double" }] })).toBe(
      false,
    );
    expect(partialMatch(2, "2")).toBe(true);
    expect(partialMatch(null, null)).toBe(true);
  });
});

describe("what the agent says", () => {
  it("contains text regardless of case, quotes and spacing, or matches a regex", () => {
    expect(sayMatches("It’s  booked for TWO nights.", { contains: "it's booked for two" })).toBe(
      true,
    );
    expect(sayMatches("Booked: 3 nights", { regex: "booked: \\d nights" })).toBe(true);
    expect(sayMatches("Sorry, no rooms", { contains: "booked" })).toBe(false);
  });
});
