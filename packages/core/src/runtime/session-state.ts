import { randomUUID } from "node:crypto";
import type { SessionUpdateEvent } from "openai/resources/realtime/realtime";
import { withBit } from "../collections/bits.ts";
import type { ClosingError } from "./reconnect/classify.ts";
import { defaultSettings, type RuntimeSettings, readSettings, sharedSettings } from "./settings.ts";

const SPOKE = 1;
const STARTED = 2;

/**
 * The few facts about a session that several parts read and the composition root keeps up to date. Everything else
 * lives in the part that owns it (the conversation, the queue, the ledger, the agent switch, …).
 */
export class SessionState {
  /** Generated until `session.created` names the Realtime session (`sess_…`). */
  id = `parley_sess_${randomUUID().replaceAll("-", "").slice(0, 20)}`;
  settings: RuntimeSettings;
  // spoke and started, as bits of one field (every session holds this object for its life).
  #flags = 0;
  /** The agent has produced audio: the API refuses a voice change from then on. */
  get spoke(): boolean {
    return (this.#flags & SPOKE) !== 0;
  }
  set spoke(on: boolean) {
    this.#flags = withBit(this.#flags, SPOKE, on);
  }
  /** The current agent's budget (a handoff brings the new agent's). */
  budgetUsd: number | undefined;
  /** The session.update in force (the start's, then each agent change's): what a restore sends again. */
  currentUpdate: SessionUpdateEvent;
  /** The server's error event when it is the last thing the server said (it tells why a close came). */
  closingError: ClosingError | undefined;
  /** The handshake is over: a drop before it is a failed start, not something to restore. */
  get started(): boolean {
    return (this.#flags & STARTED) !== 0;
  }
  set started(on: boolean) {
    this.#flags = withBit(this.#flags, STARTED, on);
  }
  /** The close code of a connection that dropped during the handshake (the start decides whether to try again). */
  earlyDrop: number | undefined;
  /** Clock time the handshake ended: session-length limits count from it, across handoffs. */
  startedAt = 0;

  constructor(update: SessionUpdateEvent, budgetUsd: number | undefined) {
    this.settings = sharedSettings(readSettings(update.session, defaultSettings()));
    this.currentUpdate = update;
    this.budgetUsd = budgetUsd;
  }
}
