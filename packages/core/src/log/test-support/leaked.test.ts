import { describe, expect, it } from "vitest";
import { leaked } from "./leaked.ts";

describe("leaked", () => {
  it("finds a short number as a value, never as digits inside a timestamp", () => {
    expect(leaked('{"pin":9876}', ["9876"])).toEqual(["9876"]);
    expect(leaked('{"pin":"9876"}', ["9876"])).toEqual(["9876"]);
    expect(leaked("cvv 737 given", ["737"])).toEqual(["737"]);
    expect(leaked('{"at":19474.987604,"ms":98761}', ["9876"])).toEqual([]);
    expect(leaked('{"ts":"2026-12-02T05:42:18.737Z"}', ["737"])).toEqual([]);
  });

  it("finds a longer secret anywhere", () => {
    expect(leaked("x-sk-proj-ABCDEFGH-y", ["sk-proj-ABCDEFGH", "absent"])).toEqual([
      "sk-proj-ABCDEFGH",
    ]);
  });
});
