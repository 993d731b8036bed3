// Test support for the runtime: the real local Realtime server on loopback, sessions whose every client event is
// checked against the official spec, and a helper that waits for one session event.
import { startLocalRealtime } from "@parley/local-realtime";
import { validateClientEvent } from "@parley/local-realtime/conformance";
import type { RealtimeClientEvent, RealtimeServerEvent } from "openai/resources/realtime/realtime";
import { loadAgent } from "../../load/index.ts";
import type { SessionEvents } from "../events.ts";
import type { Session } from "../session.ts";
import { type StartSessionOptions, startSession } from "../start-session.ts";

export const fixture = (name: string) =>
  new URL(`../../../test/fixtures/runtime/${name}`, import.meta.url).pathname;

export type LocalServer = Awaited<ReturnType<typeof startLocalRealtime>>;

export function startServer(
  options: Parameters<typeof startLocalRealtime>[0] = {},
): Promise<LocalServer> {
  return startLocalRealtime({ port: 0, pace: 0, ...options });
}

export interface Recorded {
  session: Session;
  sent: RealtimeClientEvent[];
  received: RealtimeServerEvent[];
  /** Spec problems of every client event sent, as "type: problem" lines (must stay empty). */
  invalid: string[];
}

/** Starts a session for an agent fixture against `server`, recording and validating everything on the wire. */
export async function open(
  server: LocalServer,
  agentFile: string,
  options: Omit<StartSessionOptions, "agent" | "url"> = {},
): Promise<Recorded> {
  const agent = await loadAgent(fixture(agentFile));
  const sent: RealtimeClientEvent[] = [];
  const received: RealtimeServerEvent[] = [];
  const invalid: string[] = [];
  const session = await startSession({
    agent,
    url: server.url,
    // The library's own default: a handshake on a machine with both cores busy can take seconds, and a test must
    // not fail for it (tests about timeouts pass their own).
    timeoutMs: 15_000,
    ...options,
    on: {
      ...options.on,
      "client.event": (e) => {
        sent.push(e);
        invalid.push(...validate(e));
      },
      "server.event": (e) => {
        received.push(e);
      },
    },
  });
  return { session, sent, received, invalid };
}

/**
 * Resolves with the next `name` event that passes `test`. The real-time limit only keeps a broken test from hanging:
 * it is far above what any step takes, even on a machine with both cores busy.
 */
export function next<K extends keyof SessionEvents>(
  session: Session,
  name: K,
  test: (e: Parameters<SessionEvents[K]>[0]) => boolean = () => true,
  ms = 30_000,
): Promise<Parameters<SessionEvents[K]>[0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      session.off(name, listener as never);
      reject(new Error(`no ${String(name)} event within ${ms} ms`));
    }, ms);
    const listener = (e: Parameters<SessionEvents[K]>[0]) => {
      if (!test(e)) return;
      clearTimeout(timer);
      session.off(name, listener as never);
      resolve(e);
    };
    session.on(name, listener as never);
  });
}

export function validate(event: RealtimeClientEvent): string[] {
  return validateClientEvent(event).map((p) => `${event.type}: ${p}`);
}
