import type { TimerHandle } from "../clock/index.ts";
import type { SchedulerEvent } from "./events.ts";
import {
  type FillerPlan,
  fillerResponse,
  generatedApprovalInstruction,
  generatedRunInstruction,
  pickLine,
  sayExactly,
} from "./filler-plan.ts";
import type { SchedulerHost } from "./host.ts";

export { sayExactly } from "./filler-plan.ts";

/** While blocked (user speaking, a response in progress), try again this often. */
export const FILLER_RETRY_MS = 250;

export type FillerPhase = "approval" | "run";

/** What a filler timer needs to know about its call. */
export interface FillerSubject {
  readonly id: string;
  readonly tool: string;
  /** The phase the call is in now, or undefined once it has ended. */
  phase(): FillerPhase | undefined;
  /** The latest progress message not yet spoken (then marks it spoken). */
  takeProgress(): string | undefined;
}

/**
 * The fillers of one call in one phase: first after `afterMs`, then every `everyMs`, at most `max`. A filler is
 * requested only when nobody is talking (neither the user nor a response); otherwise it is retried shortly.
 * The queue asks `stillWanted` before sending, so a filler whose call ended or whose phase changed is dropped.
 */
export class FillerTimer {
  readonly #host: SchedulerHost;
  readonly #subject: FillerSubject;
  readonly #plan: FillerPlan;
  readonly #phase: FillerPhase;
  readonly #language: string | undefined;
  readonly #emit: (event: SchedulerEvent) => void;
  #timer: TimerHandle | undefined;
  #said = 0;
  #stopped = false;

  constructor(
    host: SchedulerHost,
    subject: FillerSubject,
    plan: FillerPlan,
    phase: FillerPhase,
    language: string | undefined,
    emit: (event: SchedulerEvent) => void,
  ) {
    this.#host = host;
    this.#subject = subject;
    this.#plan = plan;
    this.#phase = phase;
    this.#language = language;
    this.#emit = emit;
    if (plan.enabled && plan.max > 0) this.#arm(plan.afterMs);
  }

  /** Fillers requested so far in this phase. */
  get said(): number {
    return this.#said;
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer !== undefined) this.#host.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #arm(ms: number): void {
    this.#timer = this.#host.clock.setTimeout(() => this.#fire(), ms);
  }

  #wanted = (): boolean =>
    !this.#stopped && this.#subject.phase() === this.#phase && !this.#host.userSpeaking;

  #fire(): void {
    this.#timer = undefined;
    if (this.#stopped || this.#subject.phase() !== this.#phase) return;
    // Never talk over the user or over another response: try again shortly, without spending one of `max`.
    if (this.#host.userSpeaking || this.#host.responses.inProgress) {
      this.#arm(FILLER_RETRY_MS);
      return;
    }
    const { instructions, line, source } = this.#content();
    this.#said++;
    this.#host.responses.request({
      kind: "filler",
      response: fillerResponse(
        instructions,
        { callId: this.#subject.id, tool: this.#subject.tool, phase: this.#phase },
        this.#plan.outOfBand,
      ),
      stillWanted: this.#wanted,
    });
    this.#emit({
      type: "tool.filler",
      callId: this.#subject.id,
      tool: this.#subject.tool,
      phase: this.#phase,
      line,
      source,
      at: this.#host.clock.now(),
    });
    if (this.#plan.everyMs !== undefined && this.#said < this.#plan.max)
      this.#arm(this.#plan.everyMs);
  }

  #content(): {
    instructions: string;
    line: string | undefined;
    source: "progress" | "line" | "generated";
  } {
    const progress = this.#phase === "run" ? this.#subject.takeProgress() : undefined;
    if (progress) return { instructions: sayExactly(progress), line: progress, source: "progress" };
    const line = this.#plan.generate
      ? undefined
      : pickLine(this.#plan.lines, this.#language, this.#said);
    if (line) return { instructions: sayExactly(line), line, source: "line" };
    const build = this.#phase === "run" ? generatedRunInstruction : generatedApprovalInstruction;
    return {
      instructions: build(this.#subject.tool, this.#language, this.#plan.generate),
      line: undefined,
      source: "generated",
    };
  }
}
