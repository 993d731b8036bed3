import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startLocalRealtime } from "@parley/local-realtime";
import { afterEach, describe, expect, it } from "vitest";
import { loadAgent } from "../load/index.ts";
import { startSession } from "../runtime/start-session.ts";
import { next } from "../runtime/test-support/harness.ts";
import { DERIVED_EVENTS } from "./derive.ts";
import { SESSION_LOG_TYPE } from "./format.ts";
import { hashFiles } from "./hash.ts";
import { readSessionLog } from "./read.ts";
import { openSessionLog } from "./writer.ts";

const fixture = (name: string) =>
  new URL(`../../test/fixtures/session-log/${name}`, import.meta.url).pathname;
const TOKEN = "mcp-fixture-token-4f9a8b7c6d5e";
const API_KEY = "sk-proj-SESSIONKEY0123456789abcdefghijklmn";

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function recordedSession(options: { audio?: boolean } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "parley-log-"));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  const server = await startLocalRealtime({ port: 0, pace: 0, apiKey: API_KEY });
  cleanup.push(() => server.close());
  const agent = await loadAgent(fixture("vault.agent.yaml"), {
    env: { PARLEY_LOG_FIXTURE_TOKEN: TOKEN },
  });
  const variables = { desk: "night", apiKey: "sk-proj-VARIABLEKEY0123456789abcdefghij" };
  const log = openSessionLog({ dir, agent, variables, ...options });
  const session = await startSession({
    agent,
    url: server.url,
    apiKey: API_KEY,
    variables: { desk: "night" },
    timeoutMs: 15_000,
    onEvent: log.write,
  });
  log.attach(session);
  cleanup.push(() => session.close());
  return { dir, log, session, agent };
}

describe("session logs", () => {
  it("write a self-describing header, then every stream event of a tool turn, one JSON line each", async () => {
    const { log, session, agent } = await recordedSession();
    const answered = next(session, "agent.transcript.done", (e) => e.kind === "answer");
    session.sendText('/call account {"number":"42"}');
    await answered;
    await session.close();
    await log.close();

    const { header, events } = await readSessionLog(log.file);
    expect(header).toMatchObject({
      type: SESSION_LOG_TYPE,
      version: 4,
      chunks: "first",
      id: log.id,
      agent: "vault",
      file: agent.file,
      model: agent.config.model,
      hash: hashFiles(agent.files),
      variables: { desk: "night", apiKey: "[redacted]" },
    });
    expect(Date.parse(header.startedAt)).toBeGreaterThan(Date.parse("2026-01-01"));
    expect(log.file.endsWith(`${log.id}.jsonl`)).toBe(true);
    // Nothing lost, nothing reordered: the stream's seq rises and ends with the close; the only seqs missing are the
    // chunks the `log.chunks` lines count. The events the reader derives (format 3) take their frame's seq.
    const lines = events.filter((e) => !DERIVED_EVENTS.has(e.type));
    expect(events.map((e) => e.seq)).toEqual(events.map((e) => e.seq).sort((a, b) => a - b));
    expect(new Set(lines.map((e) => e.seq)).size).toBe(lines.length);
    const counted = events.reduce((n, e) => n + (e.type === "log.chunks" ? e.count : 0), 0);
    expect(counted).toBeGreaterThan(0);
    expect((events.at(-1)?.seq ?? 0) - lines.length).toBe(counted);
    expect(events.some((e) => e.type === "closed")).toBe(true);
    expect(events.findIndex((e) => e.type === "closed")).toBeGreaterThan(events.length - 3);
    const types = new Set(events.map((e) => e.type));
    for (const type of [
      "session.started",
      "client.event",
      "server.event",
      "tool.call",
      "tool.output",
      "usage",
    ])
      expect(types).toContain(type);
    const call = events.find((e) => e.type === "tool.call");
    expect(call).toMatchObject({ tool: "account", arguments: { number: "42" } });
    // Audio is counted, never written into the log.
    expect(events.some((e) => e.type === "agent.audio" && e.audioBytes > 0)).toBe(true);
    expect(readFileSync(log.file, "utf8")).not.toMatch(/"audio":"|"delta":"[A-Za-z0-9+/]{40}/);
    expect(statSync(log.file).mode & 0o777).toBe(0o600);
  });

  it("never write a secret: the API key, the MCP authorization, a key in a tool's output or in the variables", async () => {
    const { log, session } = await recordedSession();
    const answered = next(session, "agent.transcript.done", (e) => e.kind === "answer");
    session.sendText('/call account {"number":"42"}');
    await answered;
    await session.close();
    await log.close();
    const text = readFileSync(log.file, "utf8");
    // The compiled MCP tool did reach the log (so the check below is about redaction, not absence).
    expect(text).toContain('"server_label":"crm"');
    for (const secret of [
      TOKEN,
      API_KEY,
      "sk-proj-OUTPUTKEY0123456789abcdefghijklmnop",
      "tok_live_0123456789abcdefghij",
      "sk-proj-VARIABLEKEY0123456789abcdefghij",
    ])
      expect(text).not.toContain(secret);
    expect(text).toContain("[redacted]");
  });

  it("keep the raw audio beside the log when asked, and name it in the header", async () => {
    const { dir, log, session } = await recordedSession({ audio: true });
    const answered = next(session, "agent.transcript.done", (e) => e.kind === "answer");
    session.sendText("hello there");
    await answered;
    await session.close();
    await log.close();
    const { header, events } = await readSessionLog(log.file);
    expect(header.audio).toMatchObject({
      user: `${log.id}.user.audio`,
      agent: `${log.id}.agent.audio`,
    });
    // The file is every chunk: the first one's line plus the rest, counted in the part's `log.chunks` line.
    const of = "response.output_audio.delta";
    const said = events.reduce(
      (n, e) =>
        n +
        (e.type === "agent.audio"
          ? e.audioBytes
          : e.type === "log.chunks" && e.of === of
            ? (e.bytes ?? 0)
            : 0),
      0,
    );
    expect(events.some((e) => e.type === "log.chunks" && e.of === of)).toBe(true);
    expect(said).toBeGreaterThan(0);
    expect(statSync(join(dir, `${log.id}.agent.audio`)).size).toBe(said);
    expect(readdirSync(dir).sort()).toEqual(
      [`${log.id}.agent.audio`, `${log.id}.jsonl`, `${log.id}.user.audio`].sort(),
    );
  });

  it("close themselves with the session and leave a whole file", async () => {
    const { log, session } = await recordedSession();
    await session.close();
    await log.close(); // already closing: the same promise
    const lines = readFileSync(log.file, "utf8").split("\n");
    expect(lines.at(-1)).toBe("");
    for (const line of lines.slice(0, -1)) expect(() => JSON.parse(line)).not.toThrow();
  });

  it("keep every line, in order, through bursts that grow the buffer and lines longer than it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "parley-log-"));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const agent = await loadAgent(fixture("vault.agent.yaml"), {
      env: { PARLEY_LOG_FIXTURE_TOKEN: TOKEN },
    });
    const log = openSessionLog({ dir, agent });
    let seq = 0;
    const line = (text: string) =>
      log.write({ type: "idle", at: seq, sessionId: "sess_buffer", seq: seq++, text } as never);
    const long = "instructions ".repeat(4_000); // 52,000 characters: longer than the first buffer
    line(long);
    for (let i = 0; i < 3_000; i++) line(`burst ${i}`); // ~150 KB in one turn: grows the buffer, flushes at its size
    line(long);
    for (let i = 0; i < 100; i++) line(`after ${i}`);
    await log.close();
    const { events } = await readSessionLog(log.file);
    const texts = events.map((e) => (e as { text?: string }).text);
    expect(texts).toEqual([
      long,
      ...Array.from({ length: 3_000 }, (_, i) => `burst ${i}`),
      long,
      ...Array.from({ length: 100 }, (_, i) => `after ${i}`),
    ]);
  });

  it("write what is buffered when the process exits before the timer does: process.exit, an uncaught exception", async () => {
    for (const how of ["exit", "throw"] as const) {
      const dir = mkdtempSync(join(tmpdir(), "parley-log-"));
      cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
      const child = spawn(
        process.execPath,
        ["--import", "tsx", fixture("exit-child.ts"), dir, how],
        {
          stdio: "ignore",
        },
      );
      const code = await new Promise((resolve) => child.once("exit", resolve));
      expect(code).toBe(how === "exit" ? 0 : 1);
      const [file] = readdirSync(dir);
      const { header, events } = await readSessionLog(join(dir, file as string));
      expect(header.agent).toBe("vault");
      expect(events.map((e) => [e.type, e.seq])).toEqual([
        ["idle", 1],
        ["idle", 2],
        ["idle", 3],
      ]);
    }
  });
});
