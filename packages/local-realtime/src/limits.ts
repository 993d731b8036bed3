/**
 * Bounds on what one client event may cost the server. The API accepts events up to 15 MiB (the spec's
 * `input_audio_buffer.append` description) and refuses bigger ones with an `invalid_request_error`; the local
 * server does the same, and also refuses events whose structure would make validation deep or long (a real event
 * is a few hundred values; a 15 MiB frame of tiny unknown fields is two million of them).
 */
export const MAX_EVENT_BYTES = 15 * 1024 * 1024;
/** Frames bigger than this are not even read: the WebSocket closes with 1009 (message too big). */
export const MAX_FRAME_BYTES = 2 * MAX_EVENT_BYTES;
/** Nesting of objects and arrays in one event (a tool's JSON Schema parameters are the deepest real part). */
export const MAX_EVENT_DEPTH = 64;
/** Objects, arrays and values in one event (128 tools with rich parameters stay far below). */
export const MAX_EVENT_VALUES = 50_000;

export interface LimitError {
  code: string;
  message: string;
}

/**
 * Why an event's raw frame is too big to parse, or undefined.
 *
 * @example
 * frameSizeError(16 * 1024 * 1024) // { code: "event_too_large", message: "…" }
 */
export function frameSizeError(bytes: number): LimitError | undefined {
  if (bytes <= MAX_EVENT_BYTES) return undefined;
  return {
    code: "event_too_large",
    message: `The event is ${bytes} bytes; the maximum is ${MAX_EVENT_BYTES} bytes (15 MiB). Send audio in smaller chunks.`,
  };
}

/**
 * Why a raw frame certainly holds too many values, or undefined: a scan of its bytes for `,` `:` `[` `{`
 * (each value but the first needs one), so a frame of 200,000 tiny fields is refused without parsing it. Text
 * inside strings counts too, which only matters for strings of tens of thousands of commas.
 */
export function frameStructureError(raw: Uint8Array): LimitError | undefined {
  let marks = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if ((c === 0x2c || c === 0x3a || c === 0x5b || c === 0x7b) && ++marks > MAX_EVENT_VALUES * 2)
      return tooComplex();
  }
  return undefined;
}

function tooComplex(): LimitError {
  return {
    code: "event_too_complex",
    message: `The event has more than ${MAX_EVENT_VALUES} values (fields and items); the local server refuses it rather than spend seconds validating it.`,
  };
}

/**
 * Why a parsed event is too deep or has too many values to validate, or undefined. Walks without recursion, and
 * stops as soon as a bound is passed, so the check itself is bounded.
 */
export function eventShapeError(event: unknown): LimitError | undefined {
  const stack: Array<[unknown, number]> = [[event, 1]];
  let values = 0;
  while (stack.length > 0) {
    const [value, depth] = stack.pop() as [unknown, number];
    if (++values > MAX_EVENT_VALUES) return tooComplex();
    if (value === null || typeof value !== "object") continue;
    if (depth > MAX_EVENT_DEPTH)
      return {
        code: "event_too_complex",
        message: `The event nests objects and arrays more than ${MAX_EVENT_DEPTH} deep.`,
      };
    const children = Array.isArray(value) ? value : Object.values(value);
    for (const child of children) stack.push([child, depth + 1]);
  }
  return undefined;
}
