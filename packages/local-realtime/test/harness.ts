// Test support: a local server whose every emitted event is checked against the spec, and a small client.
import { expect, onTestFinished } from "vitest";
import WebSocket from "ws";
import { validateServerEvent } from "../src/conformance/index.ts";
import {
  type LocalRealtime,
  type LocalRealtimeOptions,
  startLocalRealtime,
} from "../src/server.ts";

// biome-ignore lint/suspicious/noExplicitAny: tests read event fields loosely; the spec check is separate.
export type Json = Record<string, any>;

/**
 * Starts a server (pace 0 unless given) for the current test and closes it when the test ends. Every event the
 * server emits is validated against the spec; the test fails if any does not conform.
 */
export async function startTestServer(options: LocalRealtimeOptions = {}): Promise<LocalRealtime> {
  const violations: Array<{ type: unknown; problems: string[] }> = [];
  const server = await startLocalRealtime({
    pace: 0,
    ...options,
    onServerEvent: (event) => {
      const problems = validateServerEvent(event);
      if (problems.length) violations.push({ type: event.type, problems });
      options.onServerEvent?.(event);
    },
  });
  onTestFinished(async () => {
    await server.close();
    expect(violations, "server events that do not conform to the spec").toEqual([]);
  });
  return server;
}

/** A raw WebSocket client that records every server event and lets a test wait for the next one of a type. */
export class TestClient {
  readonly events: Json[] = [];
  private cursor = 0;
  private waiters: Array<() => void> = [];
  closed = false;

  private constructor(readonly ws: WebSocket) {
    ws.on("message", (data) => {
      this.events.push(JSON.parse(String(data)) as Json);
      for (const w of this.waiters.splice(0)) w();
    });
    ws.on("close", () => {
      this.closed = true;
      for (const w of this.waiters.splice(0)) w();
    });
  }

  static async connect(
    url: string,
    options: { key?: string; query?: string; ca?: string } = {},
  ): Promise<TestClient> {
    const ws = new WebSocket(`${url}${options.query ?? "?model=gpt-realtime"}`, {
      headers: { Authorization: `Bearer ${options.key ?? "test-key"}` },
      ...(options.ca ? { ca: options.ca } : {}),
    });
    const client = new TestClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
    });
    onTestFinished(() => ws.terminate());
    return client;
  }

  send(event: Json): void {
    this.ws.send(JSON.stringify(event));
  }

  /** The next event of `type` (after the last one taken) that satisfies `where`. */
  async next(
    type: string,
    where: (e: Json) => boolean = () => true,
    timeoutMs = 30_000,
  ): Promise<Json> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (let i = this.cursor; i < this.events.length; i++) {
        const e = this.events[i] as Json;
        if (e.type === type && where(e)) {
          this.cursor = i + 1;
          return e;
        }
      }
      if (this.closed) throw new Error(`connection closed while waiting for ${type}`);
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(
          `timed out waiting for ${type}; got ${this.events
            .slice(this.cursor)
            .map((e) => e.type)
            .join(", ")}`,
        );
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Types of all events received so far, from index `from`. */
  types(from = 0): string[] {
    return this.events.slice(from).map((e) => String(e.type));
  }

  /** Sends a user text message and asks for a response; resolves with that response's response.done. */
  async say(text: string, response: Json = {}): Promise<Json> {
    this.send({
      type: "conversation.item.create",
      item: { type: "message", role: "user", content: [{ type: "input_text", text }] },
    });
    this.send({ type: "response.create", response });
    return this.next("response.done");
  }

  /** Waits for session.created, sends a realtime session.update with `session`, resolves with session.updated. */
  async configure(session: Json = {}): Promise<Json> {
    await this.next("session.created");
    this.send({ type: "session.update", session: { type: "realtime", ...session } });
    return this.next("session.updated");
  }

  async textSession(session: Json = {}): Promise<void> {
    await this.configure({ output_modalities: ["text"], ...session });
  }
}

/** A function tool in the GA shape, with the examples block the compiler appends. */
export function functionTool(
  name: string,
  description: string,
  examples: Array<[string, Json]> = [],
  parameters: Json = { type: "object", properties: {} },
): Json {
  const block = examples.length
    ? `\n\nExamples:\n${examples.map(([u, a]) => `- "${u}" → ${JSON.stringify(a)}`).join("\n")}`
    : "";
  return { type: "function", name, description: `${description}${block}`, parameters };
}
