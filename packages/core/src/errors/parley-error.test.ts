import { describe, expect, it } from "vitest";
import { isParleyError, ParleyError } from "./parley-error.ts";

describe("isParleyError", () => {
  it("recognises errors from this copy of core and a branded error from another copy", () => {
    expect(isParleyError(new ParleyError("x", "y"))).toBe(true);
    // What a second copy of @parley/core (loaded through another module loader) produces: a different class, same brand.
    const fromOtherCopy = Object.assign(new Error("boom"), {
      [Symbol.for("parley.error")]: true,
      code: "tool_failed",
    });
    expect(isParleyError(fromOtherCopy)).toBe(true);
    expect(isParleyError(new Error("plain"))).toBe(false);
    expect(isParleyError({ code: "x", message: "not an error" })).toBe(false);
  });
});
