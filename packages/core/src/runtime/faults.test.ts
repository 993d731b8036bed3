import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocketServer } from "ws";
import { VirtualClock } from "../clock/index.ts";
import { type LogRecord, setLogSink } from "../log/index.ts";
import type { Session } from "./session.ts";
import { startSession } from "./start-session.ts";
import { next, open, startServer } from "./test-support/harness.ts";

const sessions: Session[] = [];
afterEach(async () => {
  setLogSink(undefined);
  await Promise.all(sessions.splice(0).map((s) => s.close()));
});

describe("server events the runtime does not understand", () => {
  it("logs and skips malformed frames, typeless events, broken known events and unknown types", async () => {
    // A scripted server on a real socket: the handshake, with junk in the middle of it.
    const wss = new WebSocketServer({ port: 0, host: "127.0.0.1" });
    wss.on("connection", (ws) => {
      ws.send(
        JSON.stringify({ type: "session.created", event_id: "e1", session: { type: "realtime" } }),
      );
      ws.on("message", (data) => {
        const event = JSON.parse(String(data)) as { type: string };
        if (event.type !== "session.update") return;
        ws.send("this is not json");
        ws.send(JSON.stringify({ no: "type" }));
        ws.send(JSON.stringify({ type: "response.done", event_id: "e2" })); // no response object
        ws.send(JSON.stringify({ type: "some.future_event", event_id: "e3" }));
        ws.send(
          JSON.stringify({
            type: "session.updated",
            event_id: "e4",
            session: { type: "realtime" },
          }),
        );
      });
    });
    await new Promise((r) => wss.once("listening", r));
    const records: LogRecord[] = [];
    setLogSink((r) => records.push(r));
    try {
      const { port } = wss.address() as AddressInfo;
      const session = await startSession({
        session: { type: "session.update", session: { type: "realtime" } },
        url: `ws://127.0.0.1:${port}/v1/realtime`,
        timeoutMs: 15_000, // a hang guard: a handshake on a busy machine can take seconds
      });
      sessions.push(session);
      expect(session.open).toBe(true);
      const warnings = records.filter((r) => r.level === "warn").map((r) => r.message);
      expect(warnings).toEqual([
        "skipped a malformed server frame",
        "skipped a server event without a type",
        "skipped a server event that could not be handled",
      ]);
      expect(
        records.some(
          (r) => r.level === "debug" && JSON.stringify(r.data).includes("some.future_event"),
        ),
      ).toBe(true);
    } finally {
      await Promise.all(sessions.splice(0).map((s) => s.close()));
      await new Promise((r) => wss.close(r));
    }
  });
});

describe("limits", () => {
  it("says goodbye and closes when the session reaches maxSessionLength", async () => {
    const server = await startServer();
    try {
      const clock = new VirtualClock();
      const { session, invalid } = await open(server, "short.agent.yaml", {
        clock,
        goodbye: "Time is up, goodbye!",
      });
      sessions.push(session);
      const goodbye = next(session, "agent.transcript.done", (e) => e.kind === "goodbye");
      const closed = next(session, "closed");
      await clock.advance(59_000);
      expect(session.open).toBe(true);
      await clock.advance(1_000);
      expect((await goodbye).transcript).toBe("Time is up, goodbye!");
      expect(await closed).toMatchObject({ reason: "max_session_length" });
      expect(invalid).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it("refuses to connect to the OpenAI API without credentials, before opening a socket", async () => {
    const saved = process.env.OPENAI_API_KEY;
    delete process.env.OPENAI_API_KEY;
    try {
      await expect(
        startSession({ session: { type: "session.update", session: { type: "realtime" } } }),
      ).rejects.toMatchObject({
        code: "missing_credentials",
      });
    } finally {
      if (saved !== undefined) process.env.OPENAI_API_KEY = saved;
    }
  });

  it("reports a refused connection as connect_failed, with the HTTP status and without the key", async () => {
    const server = await startServer({ apiKey: "sk-right-key-1234567890" });
    try {
      const closed: string[] = [];
      const attempt = startSession({
        session: { type: "session.update", session: { type: "realtime" } },
        url: server.url,
        apiKey: "sk-wrong-key-1234567890",
        timeoutMs: 15_000, // a hang guard: a handshake on a busy machine can take seconds
        on: { closed: (e) => closed.push(`${e.reason}: ${e.detail}`) },
      });
      await expect(attempt).rejects.toMatchObject({ code: "connect_failed" });
      await attempt.catch((e: Error) => {
        // The API (and the local server) accept the upgrade, then send invalid_api_key and close (3000).
        expect(e.message).toContain("invalid_api_key");
        expect(e.message).not.toContain("sk-wrong");
      });
      expect(closed).toEqual([
        expect.stringMatching(/^error: the server refused the session: invalid_api_key/),
      ]);
    } finally {
      await server.close();
    }
  });
});
