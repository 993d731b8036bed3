import { sayExactly } from "../scheduler/fillers.ts";
import type { ToolSessionControl } from "../tool/index.ts";
import type { SessionParts } from "./compose.ts";
import { delegationHost } from "./delegation-host.ts";
import { SessionError } from "./errors.ts";
import { classifyClose } from "./reconnect/classify.ts";
import { schedulerHost } from "./scheduler-host.ts";
import { traceContextOf } from "./trace-context.ts";

/**
 * A session's start: `session.created`, our `session.update`, `session.updated`; then the tools, the limits, the
 * stream's `session.started`, the recycle timer and the greeting.
 */
export async function handshake(p: SessionParts): Promise<void> {
  const { init, wire, state } = p;
  for (let attempt = 1; ; attempt++) {
    try {
      await p.connect(init.update);
      break;
    } catch (error) {
      // A connection that dropped during the handshake (not refused) is tried again, as a restore would.
      const drop = state.earlyDrop;
      state.earlyDrop = undefined;
      const retry =
        drop !== undefined &&
        classifyClose({ code: drop, error: state.closingError }) !== "fatal" &&
        (await p.reconnect.retryHandshake(attempt, (error as Error).message));
      if (retry) continue;
      // The API refuses a bad key or secret after the upgrade: an error event, then a close. Say what it said.
      const said = state.closingError;
      if (said && (error as { code?: string })?.code === "socket_closed")
        throw new SessionError(
          "connect_failed",
          // Only the code: the API's message can echo part of the key.
          `the server refused the session: ${said.code ?? said.type}`,
          { cause: error },
        );
      throw error;
    }
  }
  state.started = true;
  if (init.tools) {
    p.calls.handler = init.tools(
      schedulerHost({
        send: p.outbound.send,
        ledger: p.ledger,
        responses: p.responses,
        clock: init.clock,
        variables: () => p.agents.variables,
        emit: (event) => {
          p.events.emit(event.type, event as never);
          p.turn.check();
        },
        listens: (type) => p.events.listenerCount(type) > 0,
        sessionId: () => state.id,
        session: toolControl(p),
        traceContext: (callId) => traceContextOf(p.events, callId),
        ...(init.responsesClient
          ? {
              delegation: delegationHost({
                client: init.responsesClient,
                conversation: p.conversation,
                meter: p.meter,
                prices: init.prices,
                send: p.outbound.send,
                responses: p.responses,
                closed: p.delegations,
              }),
            }
          : {}),
      }),
    );
  }
  p.agents.begin();
  state.startedAt = init.clock.now();
  p.life.limitLength(init.maxSessionLengthMs, state.startedAt);
  p.stream.push("session.started", { transport: wire.transportKind, agent: p.agents.agent?.name });
  p.reconnect.connected();
  if (init.greeting)
    p.responses.request({
      kind: "greeting",
      response: { instructions: sayExactly(init.greeting) },
    });
}

/** `ctx.session` for tools: the SIP call id, and `end()` — close after the agent's answer to the tool's output. */
function toolControl(p: SessionParts): ToolSessionControl {
  const { callId, log } = p.init;
  return {
    ...(callId ? { callId } : {}),
    end: (reason) => {
      const detail = reason ? `ended by a tool: ${reason}` : "ended by a tool";
      log.info("session ending", { reason });
      p.life.endAfterAnswer(
        detail,
        p.responses.live.map((r) => r.id),
      );
    },
  };
}
