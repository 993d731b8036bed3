import {
  defineTool,
  ParleyError,
  type ToolContext,
  type ToolSessionControl,
} from "@parley/core/pack";
import { z } from "zod";
import { defineToolPack } from "../../pack/define-tool-pack.ts";

/**
 * Why a call-control tool could not act: `no_session` (the tool runs outside a session), `not_a_phone_call`
 * (transfer needs a SIP call), `unknown_target`, `no_api_key`, `refer_failed`.
 */
export type CallControlErrorCode =
  | "no_api_key"
  | "no_session"
  | "not_a_phone_call"
  | "refer_failed"
  | "unknown_target";

export class CallControlError extends ParleyError<CallControlErrorCode> {}

const SIP_URI = /^(sip|sips|tel):\S+$/i;

/** `options:` of the call-control pack. */
export const callControlOptions = z.strictObject({
  /** Named places to transfer to; the model picks a name, never a number of its own. */
  targets: z
    .record(
      z.string().regex(/^[a-z0-9_-]+$/i),
      z
        .string()
        .regex(SIP_URI, { message: 'expected "tel:+14155550123" or "sip:desk@example.com"' }),
    )
    .optional(),
  /** API base (default `OPENAI_BASE_URL` or https://api.openai.com/v1); tests point it at a local stand-in. */
  baseUrl: z.url().optional(),
  /** Key for the calls endpoint; default `OPENAI_API_KEY`. Write it as "${env:NAME}", never a literal. */
  apiKey: z.string().min(1).optional(),
});

type CallControlOptions = z.output<typeof callControlOptions>;

function session(ctx: ToolContext): ToolSessionControl {
  if (!ctx.session)
    throw new CallControlError("no_session", "this tool needs a running session (ctx.session)");
  return ctx.session;
}

/** The tools of the pack for the given options; `env` is read for the API key and base URL. */
export function createCallControlTools(
  options: CallControlOptions,
  env: Record<string, string | undefined> = process.env,
) {
  const targets = options.targets ?? {};
  const names = Object.keys(targets);

  const endCall = defineTool({
    name: "end_call",
    description:
      "Ends the conversation (hangs up) after your goodbye. Use it when the caller says goodbye or asks to hang up, and only then.",
    parameters: z.object({
      reason: z.string().optional().describe("Why the call ends, for the log"),
    }),
    filler: false,
    approval: "never",
    examples: [
      { say: "that's all, thanks, bye", args: { reason: "caller said goodbye" } },
      { say: "you can hang up now", args: { reason: "caller asked to hang up" } },
    ],
    async run({ reason }, ctx) {
      await session(ctx).end(reason ?? "end_call");
      ctx.log.info("call ending", { reason });
      return { ending: true };
    },
  });

  const targetParam =
    names.length > 0
      ? z.enum(names as [string, ...string[]]).describe(`Where to transfer: ${names.join(", ")}`)
      : z.string().regex(SIP_URI).describe('A SIP or tel URI, e.g. "tel:+14155550123"');

  const transferCall = defineTool({
    name: "transfer_call",
    description:
      names.length > 0
        ? `Transfers a phone call to a person: ${names.join(", ")}. Tell the caller you are transferring them first.`
        : "Transfers a phone call to a SIP or tel URI. Tell the caller you are transferring them first.",
    parameters: z.object({ target: targetParam, reason: z.string().optional() }),
    // Handing a caller to someone else cannot be undone: a person confirms unless the agent file says otherwise.
    approval: "always",
    timeout: "15s",
    filler: { after: "2s", lines: ["Connecting you now, please hold."] },
    examples:
      names.length > 0
        ? names.slice(0, 2).map((name) => ({
            say: `can I talk to ${name.replaceAll("_", " ")}`,
            args: { target: name },
          }))
        : [{ say: "put me through to the front desk", args: { target: "tel:+14155550123" } }],
    async run({ target, reason }, ctx) {
      const callId = session(ctx).callId;
      if (!callId) {
        throw new CallControlError(
          "not_a_phone_call",
          "transfer_call works only on phone (SIP) calls; this session has no SIP call id",
        );
      }
      const uri = names.length > 0 ? targets[target] : target;
      if (!uri)
        throw new CallControlError(
          "unknown_target",
          `unknown transfer target "${target}"; known: ${names.join(", ")}`,
        );
      const apiKey = options.apiKey ?? env.OPENAI_API_KEY;
      if (!apiKey)
        throw new CallControlError(
          "no_api_key",
          "transfer_call needs an API key: set OPENAI_API_KEY or options.apiKey",
        );
      const base = (options.baseUrl ?? env.OPENAI_BASE_URL ?? "https://api.openai.com/v1").replace(
        /\/+$/,
        "",
      );
      const url = `${base}/realtime/calls/${encodeURIComponent(callId)}/refer`;
      ctx.log.info("transferring call", { callId, target: uri, reason });
      let response: Response;
      try {
        response = await fetch(url, {
          method: "POST",
          headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
          body: JSON.stringify({ target_uri: uri }),
          signal: ctx.signal,
        });
      } catch (error) {
        if (ctx.signal.aborted) throw ctx.signal.reason;
        throw new CallControlError(
          "refer_failed",
          `could not reach the calls endpoint: ${(error as Error).message}`,
        );
      }
      if (!response.ok) {
        const detail = (await response.text()).slice(0, 300);
        throw new CallControlError(
          "refer_failed",
          `the transfer was refused (${response.status}): ${detail}`,
        );
      }
      await response.body?.cancel();
      return { transferred: true, target: names.length > 0 ? target : uri };
    },
  });

  return [endCall, transferCall];
}

/**
 * `@parley/tools/call-control`: `end_call` (hang up after the goodbye) and `transfer_call` (SIP REFER through
 * `POST /v1/realtime/calls/{call_id}/refer` when the session is a phone call). Transfer needs approval by default.
 *
 * @example
 * // agent.yaml
 * // tools:
 * //   - use: "@parley/tools/call-control"
 * //     options:
 * //       targets: { front_desk: "tel:+14155550123", billing: "sip:billing@pbx.example.com" }
 */
export const callControlPack = defineToolPack({
  name: "@parley/tools/call-control",
  version: "0.1.0",
  description: "End the call; transfer a phone call by SIP REFER (needs approval by default).",
  options: callControlOptions,
  tools: (options, env) => createCallControlTools(options, env.env ?? process.env),
});

export default callControlPack;
