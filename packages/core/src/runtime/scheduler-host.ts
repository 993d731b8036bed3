import type { RealtimeClientEvent } from "openai/resources/realtime/realtime";
import type { Clock } from "../clock/index.ts";
import type { CallLedger } from "../contracts/call-ledger.ts";
import type { DelegationHost } from "../delegate/host.ts";
import type { SchedulerEvent } from "../scheduler/events.ts";
import type { SchedulerHost } from "../scheduler/host.ts";
import type { ToolSessionControl, TraceContext } from "../tool/index.ts";
import type { ResponseQueue } from "./response-queue.ts";

/** What the runtime gives the scheduler: the guarded send, the queue, speech state, the clock, variables, events. */
export function schedulerHost(deps: {
  send: (event: RealtimeClientEvent) => void;
  ledger: CallLedger;
  responses: ResponseQueue;
  clock: Clock;
  /** The session variables now (replaced, not edited, when the agent changes). */
  variables: () => Readonly<Record<string, unknown>>;
  emit: (event: SchedulerEvent) => void;
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
    ...(deps.session ? { session: deps.session } : {}),
    ...(deps.delegation ? { delegation: deps.delegation } : {}),
    ...(deps.traceContext ? { traceContext: deps.traceContext } : {}),
  };
}
