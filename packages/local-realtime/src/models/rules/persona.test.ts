import { describe, expect, it } from "vitest";
import { asksForGreeting, greetingFrom, sayExactly } from "./persona.ts";

describe("Say exactly", () => {
  it("takes the line verbatim, quotes inside it included", () => {
    expect(sayExactly('Say exactly: "One moment."')).toBe("One moment.");
    expect(sayExactly('Say exactly: "Welcome to "Lumen", how can I help?"')).toBe(
      'Welcome to "Lumen", how can I help?',
    );
    expect(sayExactly('Say exactly: "Hold on." Then stop.')).toBe("Hold on.");
    expect(sayExactly("Say something nice.")).toBeUndefined();
  });
});

describe("greetings", () => {
  it("knows when it is asked to greet and what to say", () => {
    expect(asksForGreeting("Greet the caller warmly.")).toBe(true);
    expect(asksForGreeting("Answer the question.")).toBe(false);
    expect(greetingFrom("You are Max, the booking assistant of Lumen. Be brief.")).toBe(
      "Hi, I'm Max, the booking assistant of Lumen. How can I help you today?",
    );
    expect(greetingFrom("You are a helpful assistant.")).toBe("Hello! How can I help you today?");
  });
});
