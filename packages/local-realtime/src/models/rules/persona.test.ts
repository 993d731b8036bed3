import { describe, expect, it } from "vitest";
import { asksForGreeting, greetingFrom } from "./persona.ts";

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
