import type { RealtimeServerEvent } from "openai/resources/realtime/realtime";
import type { Logger } from "../log/index.ts";

/** A server text frame as an event, or undefined (logged) when it is not JSON or has no `type`. */
export function parseServerFrame(text: string, log: Logger): RealtimeServerEvent | undefined {
  let event: unknown;
  try {
    event = JSON.parse(text);
  } catch {
    log.warn("skipped a malformed server frame", { preview: text.slice(0, 200) });
    return undefined;
  }
  if (
    !event ||
    typeof event !== "object" ||
    typeof (event as { type?: unknown }).type !== "string"
  ) {
    log.warn("skipped a server event without a type", {
      preview: JSON.stringify(event).slice(0, 200),
    });
    return undefined;
  }
  return event as RealtimeServerEvent;
}
