import { describe, expect, it } from "vitest";
import { z } from "zod";
import { compileArgsValidator } from "../scheduler/validate-args.ts";
import { linearPatternError, linearRegExp } from "./linear-regexp.ts";

// `^(a+)+$` on "a"×40 + "!" is 2^40 steps for a backtracking engine (hours); RE2 answers at once. Before the
// linear engine this test did not finish.
const evil = { type: "object", properties: { code: { type: "string", pattern: "^(a+)+$" } } };
const attack = JSON.stringify({ code: `${"a".repeat(40)}!` });

describe("JSON Schema patterns run in linear time", () => {
  it("a catastrophic pattern checked on a model argument answers at once, and correctly", () => {
    const check = compileArgsValidator("lookup", evil);
    expect(check(attack)).toMatchObject({ ok: false, message: expect.stringContaining("pattern") });
    expect(check(JSON.stringify({ code: "aaaa" }))).toMatchObject({ ok: true });
  });

  it("two tools with different patterns each check their own (ajv caches patterns by their text)", () => {
    const letters = compileArgsValidator("a", {
      type: "object",
      properties: { code: { type: "string", pattern: "^[a-z]+$" } },
    });
    const time = compileArgsValidator("b", {
      type: "object",
      properties: { time: { type: "string", pattern: "^\\d{2}:\\d{2}$" } },
    });
    expect(letters(JSON.stringify({ code: "abc" }))).toMatchObject({ ok: true });
    expect(time(JSON.stringify({ time: "08:00" }))).toMatchObject({ ok: true });
    expect(time(JSON.stringify({ time: "8am" }))).toMatchObject({ ok: false });
  });

  it("keeps JavaScript pattern meaning: search not anchored, \\u escapes, classes, case", () => {
    expect(linearRegExp("b", "u").test("abc")).toBe(true);
    expect(linearRegExp("^\\u00e9t\\u00e9$", "u").test("été")).toBe(true);
    expect(linearRegExp("^\\p{Lu}\\d{2}$", "u").test("É12")).toBe(true);
    expect(linearRegExp("^[a-z]+$", "u").test("ABC")).toBe(false);
  });

  it("a zod schema's lookahead (which RE2 cannot express) still validates, through JavaScript's engine", () => {
    const check = compileArgsValidator("t", z.object({ id: z.string().regex(/^(?!X)[A-Z]+$/) }));
    expect(check(JSON.stringify({ id: "ABC" }))).toMatchObject({ ok: true });
    expect(check(JSON.stringify({ id: "XBC" }))).toMatchObject({ ok: false });
  });

  it("names what RE2 cannot match, for the loader's located error", () => {
    expect(linearPatternError("^(a+)+$")).toBeUndefined();
    expect(linearPatternError("(?=a)b")).toMatch(/\(\?=/);
    expect(linearPatternError("(a)\\1")).toBeDefined();
  });
});
