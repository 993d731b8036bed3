import type { Clock } from "../clock/index.ts";
import type { StreamEvent } from "../runtime/event-stream.ts";
import type { SessionEvents } from "../runtime/events.ts";
import type { Session } from "../runtime/session.ts";
import type { SessionObserver } from "./session-observer.ts";

/** The session events telemetry reads (agent.audio is not among them: listening to it decodes every chunk). */
const NAMES = [
  "latency",
  "tool.call",
  "tool.state",
  "tool.filler",
  "tool.progress",
  "tool.output",
  "approval.requested",
  "approval.decided",
  "delegation.step",
  "delegation.done",
  "interrupted",
  "error",
  "reconnecting",
  "restored",
  "restore_failed",
  "handoff",
  "warning",
  "budget.exceeded",
  "closed",
] as const satisfies readonly (keyof SessionEvents)[];

/**
 * Feeds `handle` a session's events in the stream's shape, straight from the session's typed events: no JSON copy
 * and no redaction (the stream's cost), which telemetry does not need (it keeps no content unless asked, and redacts
 * that). Protocol events are not listened to: the few moments telemetry needs from them (a turn's start, a
 * response's first output, a server-side MCP call) come as typed events, so an audio or transcript delta costs
 * telemetry nothing. `clock` is the session's: the stream's `at`.
 */
export function attachToSession(
  session: Session,
  clock: Clock,
  observer: Pick<
    SessionObserver,
    | "handle"
    | "open"
    | "turnStarted"
    | "firstOutput"
    | "mcpCall"
    | "model"
    | "responseStarted"
    | "usage"
    | "responseDone"
    | "idle"
  >,
): () => void {
  const detach: Array<() => void> = [];
  const listen = <K extends keyof SessionEvents>(name: K, fn: SessionEvents[K]) => {
    session.on(name, fn as never);
    detach.push(() => session.off(name, fn as never));
  };
  // The session span opens now (before the handshake); the model names the response spans, read when one starts
  // (a session.update may change it mid-session), so before the response's own listener below.
  observer.open(clock.now(), session.settings.model);
  listen("response.started", (e) => {
    observer.model(session.settings.model);
    observer.responseStarted(e, clock.now());
  });
  for (const name of NAMES)
    listen(name, ((payload?: Record<string, unknown>) => {
      const at = typeof payload?.at === "number" ? payload.at : clock.now();
      const sessionId = name === "closed" ? session.id : "";
      // Meta fields first, then the payload (its own `type`/`at` set back): a property added after a spread is a
      // slow path in V8 (see withAttributes).
      const event = { type: name, at, sessionId, seq: 0, ...payload };
      event.type = name;
      event.at = at;
      observer.handle(event as unknown as StreamEvent);
    }) as never);
  // A response's three events, several per turn: straight to the observer, no stream event built for them.
  listen("usage", (e) => observer.usage(e));
  listen("response.done", (e) => observer.responseDone(e, clock.now()));
  listen("user.turn", () => observer.turnStarted(clock.now()));
  // Once per turn, and most often with no turn span to end (a response without user input): no event built.
  listen("idle", () => observer.idle(clock.now()));
  listen("response.first_output", (e) => observer.firstOutput(e.responseId, clock.now()));
  listen("mcp.call", (e) => observer.mcpCall(e, clock.now()));
  return () => {
    for (const off of detach) off();
  };
}
