import { ParleyError } from "../errors/index.ts";

/**
 * Where one tool call is. Closed: the only moves are those in `NEXT`; anything else is a bug in the scheduler.
 *
 * received → (awaiting_approval) → (queued) → running → completed | failed | timed_out | cancelled | rejected
 *
 * `queued` means approved (or needing no approval) but waiting for a concurrency slot. Progress updates are
 * events on a running call, not states.
 */
export type CallState =
  | "received"
  | "awaiting_approval"
  | "queued"
  | "running"
  | "completed"
  | "failed"
  | "timed_out"
  | "cancelled"
  | "rejected";

export type TerminalCallState = Extract<
  CallState,
  "completed" | "failed" | "timed_out" | "cancelled" | "rejected"
>;

const NEXT: Record<CallState, readonly CallState[]> = {
  // failed: unknown tool or invalid arguments; rejected: approval denied up front or a duplicate.
  received: ["awaiting_approval", "queued", "running", "failed", "rejected", "cancelled"],
  awaiting_approval: ["queued", "running", "rejected", "cancelled"],
  queued: ["running", "cancelled"],
  running: ["completed", "failed", "timed_out", "cancelled"],
  completed: [],
  failed: [],
  timed_out: [],
  cancelled: [],
  rejected: [],
};

/** A move the state machine does not allow: always a scheduler bug, never a user error. */
export class IllegalCallTransitionError extends ParleyError<"illegal_call_transition"> {
  constructor(callId: string, from: CallState, to: CallState) {
    super("illegal_call_transition", `call ${callId}: illegal transition ${from} → ${to}`);
  }
}

export function isTerminal(state: CallState): state is TerminalCallState {
  return NEXT[state].length === 0;
}

/** Throws unless `from → to` is a legal move. */
export function assertTransition(callId: string, from: CallState, to: CallState): void {
  if (!NEXT[from].includes(to)) throw new IllegalCallTransitionError(callId, from, to);
}
