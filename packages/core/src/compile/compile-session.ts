import type {
  RealtimeSessionCreateRequest,
  SessionUpdateEvent,
} from "openai/resources/realtime/realtime";
import type { LoadedAgent } from "../load/load-agent.ts";
import { type CompileOptions, compileSessionConfig } from "./session-config.ts";

/** A `session.update` event carrying a realtime (not transcription) session. */
export type CompiledSessionUpdate = SessionUpdateEvent & { session: RealtimeSessionCreateRequest };

/**
 * Compiles a loaded agent to the GA `session.update` client event. Pure and deterministic: the same agent and
 * variables give the same bytes. Throws `CompileError` for an undeclared or missing required variable.
 *
 * @example
 * const agent = await loadAgent("agents/hotel-concierge/concierge.agent.yaml");
 * socket.send(JSON.stringify(compileSession(agent, { variables: { guest_name: "Ada" } })));
 */
export function compileSession(
  agent: LoadedAgent,
  options: CompileOptions = {},
): CompiledSessionUpdate {
  return { type: "session.update", session: compileSessionConfig(agent, options) };
}
