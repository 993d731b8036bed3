import { LazySet } from "../collections/lazy.ts";
import type { SchedulerHost } from "./host.ts";

/** The calls one model response asked for: answered together once all have their output and the response is done. */
export interface CallBatch {
  readonly open: Set<object>;
  done: boolean;
}

/**
 * One "answer" request per response that asked for tools, made when every call of that response has its output
 * and the response itself is done (`response.done`): parallel calls are answered by one `response.create`, and
 * nothing waits on a timer. Calls handed over with no response in progress (a test driving the scheduler directly)
 * form one batch with the calls of the same tick, done at the end of that tick.
 */
export class AnswerGate {
  readonly #host: SchedulerHost;
  #current: CallBatch | undefined;
  /** Batches whose calls all have their output, waiting for their response to be done. */
  readonly #waiting = new LazySet<CallBatch>();
  #closed = false;

  constructor(host: SchedulerHost) {
    this.#host = host;
  }

  /** An answer is due and not yet requested (every call has its output; the response that asked is still going). */
  get pending(): boolean {
    return this.#waiting.size > 0;
  }

  /** Adds a call that arrives now to the batch of the response in progress; returns that batch. */
  join(call: object): CallBatch {
    let batch = this.#current;
    if (!batch || batch.done) {
      batch = this.#open();
      this.#current = batch;
    }
    batch.open.add(call);
    return batch;
  }

  /** A call has its output: its batch is answered if it was the last one and the response is done. */
  ended(call: object, batch: CallBatch, respond: boolean): void {
    batch.open.delete(call);
    if (respond) this.#maybeAnswer(batch);
  }

  /** Drops pending answers: the session is ending. */
  close(): void {
    this.#closed = true;
    this.#waiting.clear();
  }

  #open(): CallBatch {
    const batch: CallBatch = { open: new Set(), done: false };
    const finish = () => {
      batch.done = true;
      this.#maybeAnswer(batch);
    };
    if (!this.#host.responses.afterResponse?.(finish)) queueMicrotask(finish);
    return batch;
  }

  #maybeAnswer(batch: CallBatch): void {
    if (this.#closed || batch.open.size > 0) return;
    if (!batch.done) {
      this.#waiting.add(batch);
      return;
    }
    this.#waiting.delete(batch);
    this.#host.responses.request({ kind: "answer" });
  }
}
