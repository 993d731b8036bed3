// The session-log tests' set-up: a local Realtime server (its own model, a real WebSocket), the vault fixture agent
// with its MCP token (or another agent), a log in a fresh folder and a session it follows, all undone after each
// test.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type defineModel, startLocalRealtime } from "@parley/local-realtime";
import { afterEach } from "vitest";
import { loadAgent } from "../load/index.ts";
import type { StreamEvent } from "../runtime/event-stream.ts";
import { startSession } from "../runtime/start-session.ts";
import { openSessionLog, type SessionLogOptions } from "./writer.ts";

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

export interface LoggedSessionOptions {
  /** The server's key (none: it takes any). */
  apiKey?: string;
  /** The vault fixture's MCP token (a secret the log must mask). */
  token?: string;
  /** Another agent than the vault fixture: its file, loaded as it is. */
  agentFile?: string;
  model?: ReturnType<typeof defineModel>;
  pace?: number;
  log?: Partial<SessionLogOptions>;
  /**
   * Keep a copy of every stream event beside the log (`all`): the copies listen first, the log after them. Without
   * it the log is the stream's only listener, as in `agent dev`.
   */
  beside?: boolean;
}

/** A session on the local server, logged; `all` holds the stream's own events when `beside` is set. */
export async function loggedSession(options: LoggedSessionOptions) {
  const dir = mkdtempSync(join(tmpdir(), "parley-log-test-"));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  const server = await startLocalRealtime({
    port: 0,
    pace: options.pace ?? 0,
    apiKey: options.apiKey,
    ...(options.model ? { model: options.model } : {}),
  });
  cleanup.push(() => server.close());
  const agent = options.agentFile
    ? await loadAgent(options.agentFile)
    : await loadAgent(
        new URL("../../test/fixtures/session-log/vault.agent.yaml", import.meta.url).pathname,
        { env: { PARLEY_LOG_FIXTURE_TOKEN: options.token } },
      );
  const log = openSessionLog({ dir, agent, ...options.log });
  const all: StreamEvent[] = [];
  const session = await startSession({
    agent,
    url: server.url,
    apiKey: options.apiKey,
    timeoutMs: 15_000,
    onEvent: options.beside ? (e) => all.push(structuredClone(e)) : log.write,
  });
  if (options.beside) session.onEvent(log.write);
  log.attach(session);
  cleanup.push(() => session.close());
  return { dir, agent, log, session, all };
}
