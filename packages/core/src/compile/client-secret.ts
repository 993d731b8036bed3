import type { CallAcceptParams } from "openai/resources/realtime/calls";
import type { ClientSecretCreateParams } from "openai/resources/realtime/client-secrets";
import type { LoadedAgent } from "../load/load-agent.ts";
import { type CompileOptions, compileSessionConfig } from "./session-config.ts";

export interface ClientSecretOptions extends CompileOptions {
  /** How long the secret may start sessions, in seconds (10–7200; default 600). */
  expiresInSeconds?: number;
}

/**
 * The body of `POST /v1/realtime/client_secrets`: a browser gets an ephemeral key with this agent's session baked in.
 *
 * @example
 * const body = compileClientSecretBody(agent, { expiresInSeconds: 300 });
 * await openai.realtime.clientSecrets.create(body);
 */
export function compileClientSecretBody(
  agent: LoadedAgent,
  options: ClientSecretOptions = {},
): ClientSecretCreateParams {
  return {
    expires_after: { anchor: "created_at", seconds: options.expiresInSeconds ?? 600 },
    session: compileSessionConfig(agent, options),
  };
}

/**
 * Turn-detection fields the SIP accept endpoint refuses (the API answers 400; openai-agents-js fails fast on them):
 * a phone call keeps the API's defaults for these. `agent validate` warns about agents that set them.
 */
export const SIP_REFUSED_TURN_DETECTION = [
  "threshold",
  "prefix_padding_ms",
  "silence_duration_ms",
] as const;

/**
 * The body of `POST /v1/realtime/calls/{call_id}/accept`: answers an incoming SIP call with this agent's session.
 * The turn-detection fields the endpoint refuses (`SIP_REFUSED_TURN_DETECTION`) are left out.
 *
 * @example
 * await openai.realtime.calls.accept(callId, compileSipAcceptBody(agent, { variables: { caller } }));
 */
export function compileSipAcceptBody(
  agent: LoadedAgent,
  options: CompileOptions = {},
): CallAcceptParams {
  const session = compileSessionConfig(agent, options) as CallAcceptParams;
  const td = session.audio?.input?.turn_detection as Record<string, unknown> | null | undefined;
  if (td) for (const key of SIP_REFUSED_TURN_DETECTION) delete td[key];
  return session;
}
