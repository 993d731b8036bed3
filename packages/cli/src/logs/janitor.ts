import { readdirSync } from "node:fs";
import { DEFAULT_RETENTION } from "./retention.ts";
import { type LogSettings, pruneLogs } from "./settings.ts";

/** How often a long-running `agent serve` applies the retention policy again. */
export const PRUNE_EVERY_MS = 60 * 60 * 1000;

export interface LogJanitorOptions {
  /** Says what was removed (serve: a JSON log line). */
  say: (message: string) => void;
  /** Default PRUNE_EVERY_MS. */
  everyMs?: number;
}

/**
 * Keeps a long-running server's log folder within its retention policy: the policy is applied again every hour,
 * and as soon as a call's log closes with the folder over its `keep` count (a busy server would otherwise pile up an
 * hour of logs past the limit). The policy itself never removes a log still being written (see pruneSessionLogs).
 *
 * @example
 * const janitor = new LogJanitor(settings, { say: (msg) => log({ level: "info", msg }) });
 * janitor.logClosed(); // after a call's log is on disk
 * janitor.stop();
 */
export class LogJanitor {
  readonly #settings: LogSettings;
  readonly #say: (message: string) => void;
  readonly #timer: NodeJS.Timeout;

  constructor(settings: LogSettings, options: LogJanitorOptions) {
    this.#settings = settings;
    this.#say = options.say;
    this.#timer = setInterval(() => this.prune(), options.everyMs ?? PRUNE_EVERY_MS);
    // Housekeeping must never keep the process alive.
    this.#timer.unref();
  }

  prune(): void {
    pruneLogs(this.#settings, this.#say);
  }

  /** A call's log was closed: prune now when the folder holds more logs than the policy keeps. */
  logClosed(): void {
    const keep = (this.#settings.retention ?? DEFAULT_RETENTION).keep;
    if (keep > 0 && this.#count() > keep) this.prune();
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  #count(): number {
    try {
      return readdirSync(this.#settings.dir).filter((n) => n.endsWith(".jsonl")).length;
    } catch {
      return 0; // no folder yet: nothing to prune
    }
  }
}
