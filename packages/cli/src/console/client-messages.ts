import { z } from "zod";
import type { ClientMessage } from "./protocol.ts";

const clientMessage = z.discriminatedUnion("type", [
  z.object({ type: z.literal("text"), text: z.string().min(1).max(20_000) }),
  z.object({ type: z.literal("image"), data: z.base64(), text: z.string().max(20_000).optional() }),
  z.object({ type: z.literal("approval"), callId: z.string().min(1), approved: z.boolean() }),
  z.object({ type: z.literal("interrupt"), playedMs: z.number().nonnegative().optional() }),
  z.object({
    type: z.literal("playback"),
    itemId: z.string().min(1),
    playedMs: z.number().nonnegative(),
  }),
  z.object({ type: z.literal("commit") }),
  z.object({ type: z.literal("ptt"), state: z.enum(["down", "up", "off"]) }),
  z.object({
    type: z.literal("mode"),
    mode: z.enum(["text", "audio"]),
    reason: z.string().min(1).max(200).optional(),
  }),
  z.object({ type: z.literal("restart") }),
  z.object({ type: z.literal("end") }),
  z.object({ type: z.literal("pick"), callId: z.string().min(1).max(200).nullable() }),
]) satisfies z.ZodType<ClientMessage>;

/** A page's text frame as a ClientMessage, or a one-line reason it is not one. */
export function parseClientMessage(text: string): ClientMessage | { error: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { error: "a console message is JSON" };
  }
  const parsed = clientMessage.safeParse(json);
  if (parsed.success) return parsed.data as ClientMessage;
  const issue = parsed.error.issues[0];
  const type = (json as { type?: unknown } | null)?.type;
  return {
    error: `console message ${typeof type === "string" ? `"${type}"` : "without a type"}: ${issue ? `${issue.path.join(".") || "message"}: ${issue.message}` : "invalid"}`,
  };
}
