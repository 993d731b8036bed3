import type { RealtimeClientEvent } from "openai/resources/realtime/realtime";
import type { Clock } from "../clock/index.ts";
import type { CallLedger } from "../contracts/call-ledger.ts";
import type { DelegationHost } from "../delegate/host.ts";
import type { SchedulerEvent } from "../scheduler/events.ts";
import type { SchedulerHost } from "../scheduler/host.ts";
import type { ToolSessionControl, TraceContext } from "../tool/index.ts";
import type { SessionParts } from "./compose.ts";
import { SessionDelegation } from "./delegation-host.ts";
import type { ResponseQueue } from "./response-queue.ts";
import { traceContextOf } from "./trace-context.ts";

/**
 * What the runtime gives the scheduler: the guarded send, the queue, speech state, the clock, variables, events,
 * `ctx.session` and the delegation host. Methods and getters over the session's parts (one object per session, no
 * closures); `ctx.session` and the delegation host are made when first asked for.
 */
export class SessionToolHost implements SchedulerHost {
  readonly #p: SessionParts;
  #session: ToolControl | undefined;
  #delegation: SessionDelegation | undefined;

  constructor(p: SessionParts) {
    this.#p = p;
  }

  send(event: RealtimeClientEvent): void {
    this.#p.outbound.send(event);
  }
  get ledger(): CallLedger {
    return this.#p.ledger;
  }
  get responses(): ResponseQueue {
    return this.#p.responses;
  }
  get userSpeaking(): boolean {
    return this.#p.responses.userSpeaking;
  }
  get sessionId(): string {
    return this.#p.state.id;
  }
  get clock(): Clock {
    return this.#p.init.clock;
  }
  /** The session variables now (replaced, not edited, when the agent changes). */
  get variables(): Record<string, unknown> {
    return this.#p.agents.variables as Record<string, unknown>;
  }
  emit(event: SchedulerEvent): void {
    this.#p.events.emit(event.type, event as never);
    this.#p.turn.check();
  }
  /** An event nobody listens to was not built: the idle check still looks (see SchedulerHost.changed). */
  changed(): void {
    this.#p.turn.check();
  }
  /** False when nobody would see an event of this type (see SchedulerHost.listens). */
  listens(type: SchedulerEvent["type"]): boolean {
    return this.#p.events.listenerCount(type) > 0;
  }
  /** `ctx.session` for tools (end the session, the SIP call id). */
  get session(): ToolSessionControl {
    this.#session ??= new ToolControl(this.#p);
    return this.#session;
  }
  /** What delegate tools use; absent without a Responses client. */
  get delegation(): DelegationHost | undefined {
    if (!this.#p.init.responsesClient) return undefined;
    this.#delegation ??= new SessionDelegation(this.#p);
    return this.#delegation;
  }
  /** The trace context of a call's span, when telemetry traces the session. */
  traceContext(callId: string): TraceContext | undefined {
    return traceContextOf(this.#p.events, callId);
  }
}

/** `ctx.session` for tools: the SIP call id, and `end()` — close after the agent's answer to the tool's output. */
class ToolControl implements ToolSessionControl {
  readonly #p: SessionParts;

  constructor(p: SessionParts) {
    this.#p = p;
  }

  get callId(): string | undefined {
    return this.#p.init.callId || undefined;
  }

  end(reason?: string): void {
    const p = this.#p;
    const detail = reason ? `ended by a tool: ${reason}` : "ended by a tool";
    p.init.log.info("session ending", { reason });
    p.life.endAfterAnswer(
      detail,
      p.responses.live.map((r) => r.id),
    );
  }
}
