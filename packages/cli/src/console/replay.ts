import type { StreamEvent } from "@parley/core";

/** Transcript deltas, each followed in the stream by a `.done` with the whole text of its item. */
const DELTAS: Partial<Record<StreamEvent["type"], StreamEvent["type"]>> = {
  "agent.transcript.delta": "agent.transcript.done",
  "user.transcript.delta": "user.transcript.done",
};

/**
 * The replay a page gets on connecting, smaller: an item whose transcript is done keeps only its first delta (where
 * its line starts, so lines keep their live order) and its `.done` (the whole text). Most of a conversation's
 * events are word-by-word deltas: without them a page opened late draws the session in a fraction of the time.
 */
export function compactReplay(events: readonly StreamEvent[]): StreamEvent[] {
  const done = new Set<string>();
  for (const e of events)
    if (e.type === "agent.transcript.done" || e.type === "user.transcript.done")
      done.add(`${e.type}:${e.itemId}`);
  const started = new Set<string>();
  return events.filter((e) => {
    const closing = DELTAS[e.type];
    if (!closing || !("itemId" in e)) return true;
    const key = `${closing}:${e.itemId}`;
    if (!done.has(key) || !started.has(key)) {
      started.add(key);
      return true;
    }
    return false;
  });
}
