import { describe, expect, it } from "vitest";
import type { ModelTool } from "../types.ts";
import { matchExample, parseExamples, similarity } from "./examples.ts";
import { extractSlots, fillSlots } from "./slots.ts";

const tool = (name: string, description: string): ModelTool => ({
  kind: "function",
  name,
  description,
  examples: parseExamples(description),
});

describe("tool examples", () => {
  it("parses the trailing Examples block the compiler writes", () => {
    const examples = parseExamples(
      'Books a room.\n\nExamples:\n- "book a room for two nights" → {"nights":2}\n- "bad line\n- "a \\"quoted\\" one" -> {"q":true}',
    );
    expect(examples).toEqual([
      { utterance: "book a room for two nights", arguments: { nights: 2 } },
      { utterance: 'a "quoted" one', arguments: { q: true } },
    ]);
    expect(parseExamples("No examples here.")).toEqual([]);
  });

  it("matches by content words, ignoring case, punctuation, fillers and slot values", () => {
    expect(similarity("Book a room for 3 nights, please!", "book a room for two nights")).toBe(1);
    expect(similarity("what's the weather", "book a room for two nights")).toBe(0);
  });

  it("fills numbers, times, dates and names from the utterance into the example's arguments", () => {
    const tools = [
      tool(
        "book_table",
        'Books a table.\n\nExamples:\n- "table for two at 7pm on 2026-05-01 for Alice" → {"people":2,"time":"19:00","date":"2026-05-01","name":"Alice"}',
      ),
      tool(
        "get_weather",
        'Weather.\n\nExamples:\n- "weather in Paris" → {"city":"Paris","units":"metric"}',
      ),
    ];
    expect(matchExample("A table for four at 8:30 pm on 2026-06-12 for Bob", tools)).toMatchObject({
      tool: { name: "book_table" },
      arguments: { people: 4, time: "20:30", date: "2026-06-12", name: "Bob" },
    });
    // Values that did not come from the example's words stay as they are.
    expect(matchExample("weather in Oslo", tools)?.arguments).toEqual({
      city: "Oslo",
      units: "metric",
    });
    expect(matchExample("tell me a joke", tools)).toBeUndefined();
  });

  it("keeps the example's time format", () => {
    const ex = extractSlots("remind me at 7pm").slots;
    expect(fillSlots({ at: "7pm" }, ex, extractSlots("remind me at 9:15am").slots)).toEqual({
      at: "9:15am",
    });
    expect(fillSlots({ at: "19:00" }, ex, extractSlots("remind me at 9am").slots)).toEqual({
      at: "09:00",
    });
  });
});
