import type { Session } from "@parley/core";
import type { ClientMessage } from "./protocol.ts";

/** The page's messages that become a call on the open session as they are. */
export type SessionCommand = Extract<
  ClientMessage,
  { type: "text" | "image" | "interrupt" | "mode" }
>;

export function isSessionCommand(message: ClientMessage): message is SessionCommand {
  return (
    message.type === "text" ||
    message.type === "image" ||
    message.type === "interrupt" ||
    message.type === "mode"
  );
}

/** Runs one on the session: typed text, an image, an interrupt, the text fallback. */
export function runSessionCommand(session: Session, message: SessionCommand): Promise<void> | void {
  switch (message.type) {
    case "text":
      return session.sendText(message.text);
    case "image":
      return session.sendImage(Buffer.from(message.data, "base64"), {
        ...(message.text ? { text: message.text } : {}),
      });
    case "interrupt":
      // Also when the answer is fully generated but still playing in the page: the truncate drops the unheard rest.
      return session.interrupt(
        message.playedMs === undefined ? {} : { playedMs: message.playedMs },
      );
    case "mode":
      // The page's microphone was denied or lost (or works again): the session's text fallback, on its word.
      return message.mode === "text"
        ? session.useText(message.reason ?? "microphone_unavailable")
        : session.useAudio(message.reason ?? "microphone_available");
  }
}
