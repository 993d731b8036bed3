import type { Clock } from "../clock/index.ts";
import type { StreamEvent } from "../runtime/event-stream.ts";
import type { SessionEvents } from "../runtime/events.ts";
import type { Session } from "../runtime/session.ts";
import type { SessionObserver } from "./session-observer.ts";

type Protocol = { type: string } & Record<string, unknown>;

/** The session events telemetry reads (agent.audio is not among them: listening to it decodes every chunk). */
const NAMES = [
  "user.speech.stopped",
  "latency",
  "idle",
  "response.started",
  "usage",
  "response.done",
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
 * and no redaction of every protocol event (the stream's cost, most of an event's handling), which telemetry does
 * not need (it keeps no content unless asked, and redacts that). `clock` is the session's: the stream's `at`.
 */
export function attachToSession(
  session: Session,
  clock: Clock,
  observer: Pick<SessionObserver, "handle" | "protocol">,
): () => void {
  const now = () => clock.now();
  const detach: Array<() => void> = [];
  const listen = <K extends keyof SessionEvents>(name: K, fn: SessionEvents[K]) => {
    session.on(name, fn as never);
    detach.push(() => session.off(name, fn as never));
  };
  for (const name of NAMES)
    listen(name, ((payload?: Record<string, unknown>) => {
      const at = typeof payload?.at === "number" ? payload.at : clock.now();
      const sessionId = name === "closed" ? session.id : "";
      observer.handle({ ...payload, type: name, at, sessionId, seq: 0 } as StreamEvent);
    }) as never);
  listen("client.event", ((event: Protocol) => observer.protocol(true, event, now)) as never);
  listen("server.event", ((event: Protocol) => observer.protocol(false, event, now)) as never);
  return () => {
    for (const off of detach) off();
  };
}
