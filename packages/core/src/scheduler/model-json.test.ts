import { describe, expect, it } from "vitest";
import { parseModelJson } from "./model-json.ts";

describe("parseModelJson", () => {
  it("parses plain arguments as JSON.parse does", () => {
    for (const raw of [
      "{}",
      '{"timeZone":"Asia/Tokyo"}',
      '{"a":[1,{"b":null}],"c":"x"}',
      "[]",
      "3",
    ])
      expect(parseModelJson(raw)).toEqual(JSON.parse(raw));
  });

  it("drops prototype keys at any depth, written plainly or with escapes", () => {
    expect(parseModelJson('{"__proto__":{"amount":5000},"note":"x"}')).toEqual({ note: "x" });
    const escaped = parseModelJson('{"\\u005f_proto__":{"amount":5000},"note":"x"}') as object;
    expect(escaped).toEqual({ note: "x" });
    expect(Object.getPrototypeOf(escaped)).toBe(Object.prototype);
    expect(parseModelJson('{"x":[1,{"constructor":3,"prototype":4,"y":5}]}')).toEqual({
      x: [1, { y: 5 }],
    });
    expect(parseModelJson('{"\\u0063onstructor":1}')).toEqual({});
  });

  it("throws on invalid JSON", () => {
    expect(() => parseModelJson("{nope")).toThrow(SyntaxError);
  });
});
