import { describe, expect, it } from "vitest";
import { lineToSay, SAY_EXACTLY, sayExactly } from "./fillers.ts";

describe("the Say exactly convention", () => {
  it("reads back every line it writes, quotes and punctuation included", () => {
    for (const line of [
      "One moment.",
      'Welcome to "Lumen", how can I help?',
      "Still on it: the payment system is slow…",
      "",
    ]) {
      expect(lineToSay(sayExactly(line))).toBe(line);
      expect(SAY_EXACTLY.exec(sayExactly(line))?.[1]).toBe(line);
    }
  });

  it("reads the looser forms other clients write, and nothing from other instructions", () => {
    expect(lineToSay('Say exactly: "Hold on." Then stop.')).toBe("Hold on.");
    expect(lineToSay("say exactly: “Right away.” and nothing else")).toBe("Right away.");
    expect(lineToSay('Greet the caller.\nSay exactly: "Hi there."')).toBe("Hi there.");
    expect(lineToSay("Say something nice.")).toBeUndefined();
    expect(lineToSay(undefined)).toBeUndefined();
  });
});
