import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PageSocket } from "../../test/helpers/console-page.ts";
import { type ConsoleHandle, startConsole } from "./start-console.ts";

const fixture = join(import.meta.dirname, "../../test/fixtures/dev");
const SECRET = "sk-live-0123456789abcdefghijklmnopqrstuv";
let dir: string;
let agentFile: string;
let handle: ConsoleHandle | undefined;
let socket: PageSocket | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "parley-console-"));
  cpSync(fixture, dir, { recursive: true });
  agentFile = join(dir, "desk.agent.yaml");
});
afterEach(async () => {
  socket?.close();
  await handle?.close();
  handle = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function start(): Promise<{ handle: ConsoleHandle; page: PageSocket }> {
  handle = await startConsole(agentFile, {
    pace: 0,
    variables: { guest: SECRET },
    env: { ...process.env, OPENAI_API_KEY: "" },
    cwd: dir,
  });
  socket = await PageSocket.open(handle.url);
  await socket.event("agent.transcript.done", 0, (e) => e.kind === "greeting");
  return { handle, page: socket };
}

async function download(url: string): Promise<string> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  return res.text();
}

describe("the console's session", { timeout: 120_000 }, () => {
  it("reloads on save, shows located problems of an invalid save, and keeps the previous version running", async () => {
    const { page } = await start();
    const original = readFileSync(agentFile, "utf8");
    writeFileSync(
      agentFile,
      original.replace("greeting: Hello from the desk.", "greeting: Hello!\nvoice: cedar"),
    );
    const reloaded = await page.waitFor((m) => m.type === "agent" && m.reload !== undefined);
    expect(reloaded.message).toMatchObject({
      type: "agent",
      agent: { name: "desk", voice: "cedar" },
      reload: { ms: expect.any(Number), summary: expect.stringContaining("voice") },
    });

    writeFileSync(agentFile, original.replace("    approval: always", "    approval: sometimes"));
    const failed = await page.waitFor((m) => m.type === "reload.failed", reloaded.at);
    if (failed.message.type !== "reload.failed") throw new Error("unreachable");
    expect(failed.message.problems[0]).toMatchObject({
      file: "desk.agent.yaml",
      line: 28,
      severity: "error",
    });
    expect(failed.message.text).toMatch(/desk\.agent\.yaml:28:\d+/);
    // The previous version still answers.
    page.send({ type: "text", text: "look up booking ABC" });
    await page.event(
      "tool.output",
      failed.at,
      (e) => e.tool === "lookup_booking" && e.state === "completed",
    );
  });

  it("downloads the transcript and the event log, secrets redacted; a late page gets the replay", async () => {
    const { handle, page } = await start();
    expect(JSON.stringify(page.received[0])).not.toContain(SECRET);
    expect(page.received[0]).toMatchObject({
      type: "hello",
      agent: { variables: { guest: "[redacted]" } },
    });
    page.send({ type: "text", text: `look up booking ABC, my key is ${SECRET}` });
    const done = await page.event("tool.output", 0, (e) => e.tool === "lookup_booking");
    await page.event("idle", done.at);

    const transcript = await download(`${handle.url}transcript.txt`);
    expect(transcript).toMatch(/^\S+ agent: Hello from the desk\.$/m);
    expect(transcript).toMatch(/^\S+ user: look up booking ABC, my key is \[redacted\]$/m);
    expect(transcript).toMatch(/^\S+ tool: lookup_booking completed → /m);
    const log = await download(`${handle.url}events.jsonl`);
    expect(log).not.toContain(SECRET);
    const events = log
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { type: string; seq: number });
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining(["session.started", "tool.call", "tool.output", "usage"]),
    );
    // The log has the per-chunk protocol events the page's feed leaves out.
    expect(log).toContain('"type":"response.output_audio.delta"');

    const late = await PageSocket.open(handle.url);
    try {
      await late.waitFor((m) => m.type === "hello");
      await late.event("tool.output", 0, (e) => e.tool === "lookup_booking");
      await late.event("user.transcript.done", 0, (e) =>
        e.transcript.startsWith("look up booking ABC"),
      );
      expect(late.received.some((m) => m.type === "audio")).toBe(false);
    } finally {
      late.close();
    }
  });

  it("microphone audio from the page reaches the session; end and restart", async () => {
    const { handle, page } = await start();
    const pcm = Buffer.alloc(4800); // 100 ms of silence at 24 kHz
    page.sendAudio(pcm);
    page.send({ type: "end" });
    const ended = await page.waitFor((m) => m.type === "session" && m.state === "ended");
    const log = await download(`${handle.url}events.jsonl`);
    expect(log).toMatch(/"type":"input_audio_buffer\.append"[^\n]*"audioBytes":4800/);
    page.send({ type: "text", text: "anyone there?" });
    const refused = await page.waitFor((m) => m.type === "problem", ended.at);
    expect(refused.message).toMatchObject({ message: "the session is not open: restart it" });

    const firstId = handle.hub.session?.id;
    page.send({ type: "restart" });
    const starting = await page.waitFor(
      (m) => m.type === "session" && m.state === "starting",
      ended.at,
    );
    const open = await page.waitFor((m) => m.type === "session" && m.state === "open", starting.at);
    expect(open.message).toMatchObject({ id: expect.stringMatching(/^sess_/) });
    expect((open.message as { id: string }).id).not.toBe(firstId);
    await page.event("agent.transcript.done", open.at, (e) => e.kind === "greeting");
  });

  it("switches to text when the page says the microphone is denied, and back", async () => {
    const { page } = await start();
    page.send({ type: "mode", mode: "text", reason: "microphone_denied" });
    const toText = await page.event("mode.changed", 0, (e) => e.mode === "text");
    expect(toText.event).toMatchObject({ reason: "microphone_denied", notice: expect.any(String) });
    page.send({ type: "text", text: "hello" });
    await page.event(
      "server.event",
      toText.at,
      (e) => e.event.type === "response.output_text.delta",
    );
    page.send({ type: "mode", mode: "audio" });
    await page.event("mode.changed", toText.at, (e) => e.mode === "audio");
  });

  it("push-to-talk commits what was said once; a release after the server committed sends nothing", async () => {
    const { handle, page } = await start();
    page.sendAudio(Buffer.alloc(9600)); // 200 ms held
    page.send({ type: "commit" });
    const committed = await page.event(
      "server.event",
      0,
      (e) => e.event.type === "input_audio_buffer.committed",
    );
    page.send({ type: "commit" }); // released again without audio: nothing to commit
    page.send({ type: "text", text: "look up booking ABC" });
    const done = await page.event("tool.output", committed.at, (e) => e.tool === "lookup_booking");
    const log = await download(`${handle.url}events.jsonl`);
    expect(log.match(/"type":"input_audio_buffer\.commit"/g)).toHaveLength(1);
    expect(
      page.received
        .slice(committed.at, done.at)
        .filter((m) => m.type === "problem" || (m.type === "event" && m.event.type === "error")),
    ).toEqual([]);
  });

  it("refuses malformed messages with a reason, and goes on", async () => {
    const { page } = await start();
    page.send({ type: "shout", text: "hi" });
    const bad = await page.waitFor((m) => m.type === "problem");
    expect(bad.message).toMatchObject({
      message: expect.stringContaining('console message "shout"'),
    });
    page.send({ type: "image", data: Buffer.from("not an image").toString("base64") });
    const image = await page.waitFor((m) => m.type === "problem", bad.at + 1);
    expect(image.message).toMatchObject({
      message: expect.stringContaining("not a PNG, JPEG, GIF or WebP"),
    });
    const png = readFileSync(join(dir, "pixel.png")).toString("base64");
    page.send({ type: "image", data: png, text: "what colour is this?" });
    await page.event("item.added", image.at, (e) => e.item.role === "user");
  });
});
