import { sayExactly } from "../scheduler/fillers.ts";
import type { SessionParts } from "./compose.ts";
import { SessionError } from "./errors.ts";
import { classifyClose } from "./reconnect/classify.ts";

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
  p.attachTools();
  p.agents.begin();
  state.startedAt = Math.floor(init.clock.now()); // whole ms: no heap number (below 2^31 ms, see clock/deadlines.ts)
  if (init.maxSessionLengthMs !== undefined)
    p.life.limitLength(init.maxSessionLengthMs, state.startedAt);
  p.streamPush("session.started", { transport: wire.transportKind, agent: p.agents.agent?.name });
  p.reconnect.connected();
  if (init.greeting)
    p.responses.request({
      kind: "greeting",
      response: { instructions: sayExactly(init.greeting) },
    });
}
