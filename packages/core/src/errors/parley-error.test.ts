import { describe, expect, it } from "vitest";
import { ParleyError, isParleyError } from "./parley-error.ts";

describe("isParleyError", () => {
  it("recognises errors from this copy of core and a branded error from another copy", () => {
    expect(isParleyError(new ParleyError("x", "y"))).toBe(true);
    // What a second copy of @parley/core (loaded through another module loader) produces: a different class, same brand.
    class OtherCopy extends Error {
      readonly [Symbol.for("parley.error")] = true;
      readonly code = "tool_failed";
    }
    expect(isParleyError(new OtherCopy("boom"))).toBe(true);
    expect(isParleyError(new Error("plain"))).toBe(false);
    expect(isParleyError({ code: "x", message: "not an error" })).toBe(false);
  });
});
