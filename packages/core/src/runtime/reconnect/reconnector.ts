import type { Clock } from "../../clock/index.ts";
import { sleep } from "../../clock/sleep.ts";
import type { Logger } from "../../log/index.ts";
import type { Transport, TransportFactory } from "../../transport/transport.ts";
import type { CloseClass } from "./classify.ts";
import { backoffMs, type ReconnectSettings } from "./options.ts";

/** Why a session is being moved to a new connection. */
export type RestoreReason = Exclude<CloseClass, "fatal"> | "recycle";

/** What the `reconnecting` / `restored` / `restore_failed` session events carry. */
export interface ReconnectingEvent {
  reason: RestoreReason;
  /** 1 for the first attempt of this restore. */
  attempt: number;
  /** How long the runtime waited before this attempt (backoff with jitter; 0 for the first). */
  delayMs: number;
  /** The close that started it, in words. */
  detail: string;
}
export interface RestoredEvent {
  reason: RestoreReason;
  attempts: number;
  /** From the drop (or the recycle) to the restored session, on the session's clock. */
  ms: number;
  /** Items replayed into the new session (0 when a SIP sideband was re-attached). */
  replayed: number;
  /** The new Realtime session id. */
  sessionId: string;
}
export interface RestoreFailedEvent {
  reason: RestoreReason;
  attempts: number;
  /** Why the last attempt failed. */
  detail: string;
}

export interface ReconnectorDeps {
  settings: ReconnectSettings;
  factory: TransportFactory;
  clock: Clock;
  log: Logger;
  /** The session is closing (close(), a limit): stop trying. */
  closing(): boolean;
  /** Makes the new transport the session's. */
  attach(transport: Transport): void;
  /** open → session.created → the session's current session.update → session.updated. */
  handshake(): Promise<void>;
  /** Replays the conversation into the new session; returns how many items. */
  replay(): number;
  /** The session is usable again: waiting requests and held events go out; the agent resumes. */
  resume(reason: RestoreReason): void;
  reconnecting(e: ReconnectingEvent): void;
  restored(e: RestoredEvent): void;
  failed(e: RestoreFailedEvent): void;
  sessionId(): string;
}

/**
 * Moves a session to a new connection: bounded attempts with backoff and jitter on the session's clock, each a fresh
 * transport from the factory, the handshake with the session's current configuration, the replay, then resume.
 * One restore at a time; a drop during a restore is that restore's business (its attempt fails, the next begins).
 */
export class Reconnector {
  readonly #d: ReconnectorDeps;
  /** Transports asked of the factory so far (the first connect was 1). */
  #connects = 1;
  #running: Promise<void> | undefined;
  /** Set from the drop until just before the session resumes or gives up (before `restored` / `restore_failed`). */
  #active = false;

  constructor(deps: ReconnectorDeps) {
    this.#d = deps;
  }

  /** True from a drop (or a recycle) until the session is restored or given up. */
  get restoring(): boolean {
    return this.#active;
  }

  /** Starts a restore (once; a second call while one runs is ignored). `before` runs first (a recycle's close). */
  start(reason: RestoreReason, detail: string, before?: () => Promise<void>): void {
    if (this.#active) return;
    this.#active = true;
    const startedAt = this.#d.clock.now();
    const run = (async () => {
      await before?.().catch((error: unknown) =>
        this.#d.log.warn("closing the old connection failed", { error }),
      );
      await this.#run(reason, detail, startedAt);
    })()
      .catch((error: unknown) => this.#d.log.error("the restore failed unexpectedly", { error }))
      .finally(() => {
        // A drop right after the resume may have started the next restore already: that one is not ours to end.
        if (this.#running !== run) return;
        this.#active = false;
        this.#running = undefined;
      });
    this.#running = run;
  }

  /**
   * The first connection dropped during its handshake: waits the backoff before attempt `failed + 1` and attaches a
   * new transport. False (nothing done) when no attempts are left or the session is closing.
   */
  async retryHandshake(failed: number, detail: string): Promise<boolean> {
    const d = this.#d;
    if (failed >= d.settings.maxAttempts || d.closing()) return false;
    const attempt = failed + 1;
    const delayMs = backoffMs(attempt, d.settings);
    if (delayMs > 0) await sleep(delayMs, { clock: d.clock });
    if (d.closing()) return false;
    d.reconnecting({
      reason: "network",
      attempt,
      delayMs,
      detail: `${detail} (during the handshake)`,
    });
    d.attach(d.factory({ attempt: ++this.#connects }));
    return true;
  }

  async #run(reason: RestoreReason, detail: string, startedAt: number): Promise<void> {
    const d = this.#d;
    let why = detail;
    for (let attempt = 1; attempt <= d.settings.maxAttempts; attempt++) {
      const delayMs =
        reason === "network"
          ? backoffMs(attempt, d.settings)
          : attempt === 1
            ? 0
            : backoffMs(attempt, d.settings);
      if (delayMs > 0) await sleep(delayMs, { clock: d.clock });
      if (d.closing()) {
        this.#active = false;
        return;
      }
      d.reconnecting({ reason, attempt, delayMs, detail });
      try {
        d.attach(d.factory({ attempt: ++this.#connects }));
        await d.handshake();
        const replayed = d.replay();
        // No longer restoring by the time anyone hears of it: a listener of `restored` (or of the `idle` that
        // follows) sees a session it can use, and the events it sends go straight out.
        this.#active = false;
        d.resume(reason);
        d.restored({
          reason,
          attempts: attempt,
          ms: d.clock.now() - startedAt,
          replayed,
          sessionId: d.sessionId(),
        });
        return;
      } catch (error) {
        why = error instanceof Error ? error.message : String(error);
        d.log.warn("restore attempt failed", { reason, attempt, error: why });
      }
    }
    this.#active = false;
    d.failed({ reason, attempts: d.settings.maxAttempts, detail: why });
  }
}
