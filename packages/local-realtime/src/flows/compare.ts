type Json = Record<string, unknown>;

/** One step of a flow as compared: its event type (repeated deltas folded into one) and the fields that matter. */
export interface TraceStep {
  type: string;
  fields: Record<string, unknown>;
}

/** A difference between the two sides of one flow, as a readable line. */
export interface FlowDifference {
  kind: "order" | "field";
  message: string;
}

function at(value: unknown, path: string): unknown {
  let node = value;
  for (const key of path.split(".")) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Json)[key];
  }
  return node;
}

// What is compared per event type: protocol facts, not model wording, ids or timing.
const FIELDS: Record<string, string[]> = {
  error: ["error.type", "error.code", "error.param"],
  "session.created": [
    "session.type",
    "session.output_modalities",
    "session.audio.output.voice",
    "session.audio.input.format.type",
    "session.audio.input.turn_detection.type",
  ],
  "session.updated": ["session.output_modalities", "session.audio.input.turn_detection"],
  "response.created": ["response.status", "response.conversation_id?"],
  "response.done": [
    "response.status",
    "response.status_details.reason",
    "response.output.types",
    "response.metadata",
    "response.conversation_id?",
  ],
  "conversation.item.added": ["item.type", "item.role"],
  "conversation.item.done": ["item.type", "item.role", "item.status"],
  "response.output_item.added": ["item.type"],
  "response.output_item.done": ["item.type", "item.status"],
  "conversation.item.truncated": ["audio_end_ms", "content_index"],
  "(closed)": ["code", "reason"],
};

function fieldsOf(event: Json): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const spec of FIELDS[String(event.type)] ?? []) {
    if (spec === "response.output.types") {
      out[spec] = ((at(event, "response.output") as Json[] | undefined) ?? []).map((i) => i.type);
    } else if (spec.endsWith("?")) {
      // Presence only: ids differ between servers.
      const path = spec.slice(0, -1);
      out[path] = at(event, path) === undefined ? "absent" : "present";
    } else {
      const value = at(event, spec);
      out[spec] = value === undefined ? "absent" : value;
    }
  }
  return out;
}

/** The comparable trace of a flow's server events. */
export function traceOf(events: Json[]): TraceStep[] {
  const out: TraceStep[] = [];
  for (const event of events) {
    const type = String(event.type);
    const last = out.at(-1);
    // Deltas come in different numbers from different servers: one step per run.
    if (type.endsWith(".delta") && last?.type === type) continue;
    out.push({ type, fields: fieldsOf(event) });
  }
  return out;
}

/** Longest common subsequence of the two type sequences: the steps both sides have, in order. */
function alignment(a: TraceStep[], b: TraceStep[]): Array<[number, number]> {
  const n = a.length;
  const m = b.length;
  const dp: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      (dp[i] as number[])[j] =
        a[i]?.type === b[j]?.type
          ? ((dp[i + 1] as number[])[j + 1] as number) + 1
          : Math.max((dp[i + 1] as number[])[j] as number, (dp[i] as number[])[j + 1] as number);
  const pairs: Array<[number, number]> = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i]?.type === b[j]?.type) {
      pairs.push([i, j]);
      i++;
      j++;
    } else if (((dp[i + 1] as number[])[j] as number) >= ((dp[i] as number[])[j + 1] as number))
      i++;
    else j++;
  }
  return pairs;
}

/**
 * Where two traces of the same flow differ: events only one side sent (with their place), and for events both
 * sent, fields whose values differ.
 *
 * @example
 * compareTraces(traceOf(localEvents), traceOf(liveEvents), ["local", "live"])
 * // [{ kind: "field", message: "error #1 error.code: local \"invalid_event_type\", live \"invalid_value\"" }]
 */
export function compareTraces(
  a: TraceStep[],
  b: TraceStep[],
  names: [string, string],
): FlowDifference[] {
  const pairs = alignment(a, b);
  const out: FlowDifference[] = [];
  const matchedA = new Set(pairs.map(([i]) => i));
  const matchedB = new Set(pairs.map(([, j]) => j));
  a.forEach((s, i) => {
    if (!matchedA.has(i))
      out.push({ kind: "order", message: `only ${names[0]} sent ${s.type} (step ${i + 1})` });
  });
  b.forEach((s, j) => {
    if (!matchedB.has(j))
      out.push({ kind: "order", message: `only ${names[1]} sent ${s.type} (step ${j + 1})` });
  });
  const seen = new Map<string, number>();
  for (const [i, j] of pairs) {
    const sa = a[i] as TraceStep;
    const sb = b[j] as TraceStep;
    const nth = (seen.get(sa.type) ?? 0) + 1;
    seen.set(sa.type, nth);
    for (const key of Object.keys(sa.fields)) {
      const va = JSON.stringify(sa.fields[key]);
      const vb = JSON.stringify(sb.fields[key]);
      if (va !== vb)
        out.push({
          kind: "field",
          message: `${sa.type} #${nth} ${key}: ${names[0]} ${va}, ${names[1]} ${vb}`,
        });
    }
  }
  return out;
}
