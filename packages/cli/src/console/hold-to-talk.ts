import type { Session } from "@parley/core";
import type { SessionUpdateEvent } from "openai/resources/realtime/realtime";

/**
 * The agent's `session.update` for hold-to-talk: `held` true → with `turn_detection: null` (the person's hold decides
 * the turn, not the server's VAD); false → the agent's own. Undefined when the agent has no turn detection (nothing to
 * switch). A whole update, not a partial one: the runtime keeps the last update as the one in force (a reconnect
 * sends it again), so a partial one would lose the instructions and the tools.
 */
export type HoldToTalkUpdate = (held: boolean) => SessionUpdateEvent | undefined;

/**
 * Hold-to-talk for one session. The first press switches the agent's turn detection off (so a pause while holding
 * does not end the turn, and the server answers nothing by itself); each release commits what was said and asks for
 * one answer; leaving hold-to-talk (open mic, the page gone) puts the agent's turn detection back. The switch is sent
 * as soon as the press arrives, before the audio that follows it on the same socket, so the server never runs its VAD
 * on held audio.
 */
export class HoldToTalk {
  readonly #updateFor: HoldToTalkUpdate | undefined;
  readonly #failed: (message: string) => void;
  #active = false;
  /** The last switch sent: a release waits for the server to have applied it. */
  #switching: Promise<void> = Promise.resolve();
  /** Microphone audio was appended since the input buffer was last committed (by the server's VAD or by us). */
  #uncommitted = false;

  /** `failed`: a switch the server refused (said to the pages; the session goes on). */
  constructor(updateFor: HoldToTalkUpdate | undefined, failed: (message: string) => void) {
    this.#updateFor = updateFor;
    this.#failed = failed;
  }

  /** In hold-to-talk mode: the agent's turn detection is off. */
  get active(): boolean {
    return this.#active;
  }

  /** A new session: it starts with the agent's own turn detection. */
  reset(): void {
    this.#active = false;
    this.#uncommitted = false;
    this.#switching = Promise.resolve();
  }

  appended(): void {
    this.#uncommitted = true;
  }

  /** The server committed the input buffer (its VAD, or our commit). */
  committed(): void {
    this.#uncommitted = false;
  }

  /** The button is pressed: from the first press on, the agent's turn detection is off. */
  press(session: Session): void {
    if (this.#active) return;
    this.#active = true;
    this.#switch(session, true);
  }

  /**
   * Released: commits the held audio, and the runtime asks for one answer (the server's VAD, now off, answers
   * nothing). Nothing when nothing was said since the last commit (an empty commit is a server error).
   */
  async release(session: Session): Promise<void> {
    await this.#switching;
    if (!this.#uncommitted) return;
    this.#uncommitted = false;
    session.commitAudio();
  }

  /** Left hold-to-talk (open mic, the page went away): the agent's turn detection is back. */
  leave(session: Session): void {
    if (!this.#active) return;
    this.#active = false;
    this.#switch(session, false);
  }

  /** The agent was applied again (a reload, a handoff) with its own turn detection: off again while held. */
  reapply(session: Session): void {
    if (this.#active) this.#switch(session, true);
  }

  #switch(session: Session, held: boolean): void {
    const update = this.#updateFor?.(held);
    if (!update || !session.open) return;
    // `updateAgent` sends at once (synchronously), then waits for `session.updated`.
    const switching = session.updateAgent(update);
    this.#switching = switching.catch(() => {});
    switching.catch((error: unknown) =>
      this.#failed(
        `hold-to-talk could not switch the turn detection ${held ? "off" : "back on"}: ${(error as Error).message}`,
      ),
    );
  }
}
