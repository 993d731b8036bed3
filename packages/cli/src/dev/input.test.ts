import { describe, expect, it } from "vitest";
import { parseDevInput } from "./input.ts";

describe("what a typed line in agent dev asks for", () => {
  it("says plain text, and // escapes a leading slash", () => {
    expect(parseDevInput("  hello there ")).toEqual({ kind: "say", text: "hello there" });
    expect(parseDevInput("//etc/hosts is a file")).toEqual({
      kind: "say",
      text: "/etc/hosts is a file",
    });
    expect(parseDevInput("   ")).toEqual({ kind: "empty" });
  });

  it("parses /call with JSON arguments and explains bad JSON", () => {
    expect(parseDevInput('/call get_weather {"city": "Paris"}')).toEqual({
      kind: "call",
      tool: "get_weather",
      args: { city: "Paris" },
    });
    expect(parseDevInput("/call clock_now")).toEqual({ kind: "call", tool: "clock_now", args: {} });
    expect(parseDevInput("/call get_weather {city: Paris}")).toMatchObject({
      kind: "invalid",
      message: expect.stringContaining("not JSON"),
    });
    expect(parseDevInput("/call get_weather [1]")).toMatchObject({
      kind: "invalid",
      message: expect.stringContaining("JSON object"),
    });
  });

  it("parses /image with a quoted path and optional text", () => {
    expect(parseDevInput("/image ./receipt.png what is the total?")).toEqual({
      kind: "image",
      path: "./receipt.png",
      text: "what is the total?",
    });
    expect(parseDevInput('/image "my photos/cat.jpg"')).toEqual({
      kind: "image",
      path: "my photos/cat.jpg",
    });
    expect(parseDevInput("/image")).toMatchObject({ kind: "invalid" });
  });

  it("knows the other commands and rejects unknown ones with a hint", () => {
    expect(parseDevInput("/interrupt").kind).toBe("interrupt");
    expect(parseDevInput("/vars").kind).toBe("vars");
    expect(parseDevInput("/reload").kind).toBe("reload");
    expect(parseDevInput("/QUIT").kind).toBe("quit");
    expect(parseDevInput("/help").kind).toBe("help");
    expect(parseDevInput("/frobnicate")).toMatchObject({
      kind: "invalid",
      message: expect.stringContaining("/help"),
    });
  });
});
