import type { RealtimeClientEvent } from "openai/resources/realtime/realtime";
import type { Clock } from "../clock/index.ts";
import type { CallLedger } from "../contracts/call-ledger.ts";
import type { DelegationHost } from "../delegate/host.ts";
import type { Logger } from "../log/index.ts";
import type { SchedulerEvent } from "../scheduler/events.ts";
import type { SchedulerHost } from "../scheduler/host.ts";
import type { ToolSessionControl, TraceContext } from "../tool/index.ts";
import type { ResponseQueue } from "./response-queue.ts";
import type { Wire } from "./wire.ts";

/**
 * A `send` for code other than the queue (the scheduler, the runtime's own outputs): a `response.create` is routed
 * through the queue as an answer instead of colliding, and events for a closed socket are dropped with a warning.
 */
export function guardedSend(
  wire: Wire,
  responses: ResponseQueue,
  log: Logger,
): (event: RealtimeClientEvent) => void {
  return (event) => {
    if (event.type === "response.create") {
      log.warn("response.create sent through host.send; routed through the response queue");
      responses.request({
        kind: "answer",
        ...(event.response ? { response: event.response } : {}),
      });
      return;
    }
    if (!wire.isOpen) {
      log.warn("dropped a client event: the socket is closed", { type: event.type });
      return;
    }
    wire.send(event);
  };
}

/** What the runtime gives the scheduler: the guarded send, the queue, speech state, the clock, variables, events. */
export function schedulerHost(deps: {
  send: (event: RealtimeClientEvent) => void;
  ledger: CallLedger;
  responses: ResponseQueue;
  clock: Clock;
  /** The session variables now (replaced, not edited, when the agent changes). */
  variables: () => Readonly<Record<string, unknown>>;
  emit: (event: SchedulerEvent) => void;
  /** False when nobody would see an event of this type (see SchedulerHost.listens). */
  listens?: (type: SchedulerEvent["type"]) => boolean;
  sessionId: () => string;
  /** `ctx.session` for tools (end the session, the SIP call id). */
  session?: ToolSessionControl;
  /** What delegate tools use (the Responses client, history, meters, async delivery). */
  delegation?: DelegationHost;
  /** The trace context of a call's span, when telemetry traces the session. */
  traceContext?: (callId: string) => TraceContext | undefined;
}): SchedulerHost {
  const { responses } = deps;
  return {
    send: deps.send,
    ledger: deps.ledger,
    responses,
    get userSpeaking() {
      return responses.userSpeaking;
    },
    get sessionId() {
      return deps.sessionId();
    },
    clock: deps.clock,
    get variables() {
      return deps.variables() as Record<string, unknown>;
    },
    emit: deps.emit,
    ...(deps.listens ? { listens: deps.listens } : {}),
    ...(deps.session ? { session: deps.session } : {}),
    ...(deps.delegation ? { delegation: deps.delegation } : {}),
    ...(deps.traceContext ? { traceContext: deps.traceContext } : {}),
  };
}
