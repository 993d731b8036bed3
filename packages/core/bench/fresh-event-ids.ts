// Replayed frames with fresh event ids each round. A real call's server events each carry an `event_id` never seen
// before; replaying the same recorded frames round after round repeats them, so whatever keys on strings (the
// redaction's verdicts, which a session log's secret check keeps) found every one of them known from the second
// round on, and the benches measured a cheaper log than a call gets. Only `event_id` changes: item, response and
// call ids name the session's state, which a replay into one session must keep the same.

const KEY = Buffer.from('"event_id":"event_');
/** Characters of the id overwritten with the round's number (the recorded ids count at their end). */
const WIDTH = 6;

/**
 * Returns `next()`, which overwrites, in place, the first characters of every `event_id` in `frames` (after
 * `event_`) with the next round's number: each round's ids are then new, the same length, still unique within it.
 */
export function freshEventIds(frames: Buffer[]): () => void {
  const at: [Buffer, number][] = [];
  for (const frame of frames) {
    let from = 0;
    for (;;) {
      const found = frame.indexOf(KEY, from);
      if (found < 0) break;
      const start = found + KEY.length;
      const end = frame.indexOf(34, start); // the closing quote
      // Only ids long enough that the round's digits leave their own counter whole.
      if (end - start > WIDTH + 4) at.push([frame, start]);
      from = start;
    }
  }
  let round = 0;
  return () => {
    const digits = (round++ % 36 ** WIDTH).toString(36).padStart(WIDTH, "0");
    for (const [frame, start] of at) frame.write(digits, start, "latin1");
  };
}
