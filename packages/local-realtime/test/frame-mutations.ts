// Test support for the frame fuzzers (the suite's and `pnpm bench fuzz`'s): bad WebSocket text frames made from
// valid client events, and a check that the local server answers each with an error event and keeps serving.
import fc from "fast-check";
import { eventProblems } from "../src/conformance/validate.ts";
import { eventShapeError, frameSizeError } from "../src/limits.ts";

/** Valid client events the mutations start from. */
const SEEDS: Record<string, unknown>[] = [
  {
    type: "session.update",
    session: {
      type: "realtime",
      instructions: "You help.",
      output_modalities: ["text"],
      tools: [
        {
          type: "function",
          name: "lookup",
          description: "Looks up.",
          parameters: { type: "object", properties: { id: { type: "string" } } },
        },
      ],
    },
  },
  {
    type: "conversation.item.create",
    item: { type: "message", role: "user", content: [{ type: "input_text", text: "hello" }] },
  },
  { type: "response.create", response: { output_modalities: ["text"] } },
  { type: "input_audio_buffer.append", audio: "AAAAAA==" },
  { type: "conversation.item.truncate", item_id: "item_1", content_index: 0, audio_end_ms: 10 },
  { type: "conversation.item.delete", item_id: "item_1" },
];

const deep = (depth: number, array: boolean) =>
  array
    ? `${"[".repeat(depth)}${"]".repeat(depth)}`
    : `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;

/** A bad frame (text), scaled by `size`; `family` names it in failure reports. */
export function badFrame(size = 1): fc.Arbitrary<{ family: string; frame: string }> {
  const big = (n: number) => Math.max(1, Math.round(n * size));
  const seed = fc.constantFrom(...SEEDS);
  return fc.oneof(
    fc
      .constantFrom("null", "1", '"x"', "[]", "true", "{}", "[null]", '{"type":null}', "", " ")
      .map((frame) => ({ family: "not an event", frame })),
    fc
      .tuple(
        seed,
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 32, max: 126 })), {
          minLength: 1,
          maxLength: 6,
        }),
      )
      .map(([event, flips]) => {
        const chars = [...JSON.stringify(event)];
        for (const [p, c] of flips) chars[p % chars.length] = String.fromCharCode(c);
        return { family: "flipped characters", frame: chars.join("") };
      }),
    fc.tuple(seed, fc.nat()).map(([event, cut]) => {
      const text = JSON.stringify(event);
      return { family: "truncated", frame: text.slice(0, cut % text.length) };
    }),
    fc
      .tuple(seed, fc.constantFrom<unknown>(1, "x", null, [], {}, true, -1, 1e308))
      .map(([event, value]) => {
        const key = Object.keys(event).find((k) => k !== "type") ?? "type";
        return { family: "wrong type", frame: JSON.stringify({ ...event, [key]: value }) };
      }),
    fc.tuple(fc.integer({ min: 65, max: big(200_000) }), fc.boolean()).map(([depth, array]) => ({
      family: "deep nesting",
      frame: `{"type":"session.update","session":{"type":"realtime","metadata":${deep(depth, array)}}}`,
    })),
    fc.integer({ min: 1000, max: big(2_000_000) }).map((length) => ({
      family: "huge string",
      frame: JSON.stringify({
        type: "session.update",
        session: { type: "realtime", instructions: 1, x: "y".repeat(length) },
      }),
    })),
    fc.integer({ min: 2, max: big(200_000) }).map((count) => {
      const session: Record<string, unknown> = { type: "realtime" };
      for (let i = 0; i < count; i++) session[`f${i}`] = i;
      return { family: "many fields", frame: JSON.stringify({ type: "session.update", session }) };
    }),
    fc.constantFrom("not base64!", "A", "AAA=A", "====").map((audio) => ({
      family: "bad audio",
      frame: JSON.stringify({ type: "input_audio_buffer.append", audio }),
    })),
    fc.string({ maxLength: 30 }).map((type) => ({
      family: "unknown type",
      frame: JSON.stringify({ type: `x.${type}` }),
    })),
  );
}

/** Whether the server must refuse `frame` (a frame that happens to be a valid event is not sent by the fuzzers). */
export function mustRefuse(frame: string): boolean {
  if (frameSizeError(Buffer.byteLength(frame))) return true;
  let event: unknown;
  try {
    event = JSON.parse(frame);
  } catch {
    return true;
  }
  if (eventShapeError(event)) return true;
  return eventProblems("client", event).length > 0;
}
