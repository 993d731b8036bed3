import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PageSocket } from "../../test/helpers/console-page.ts";
import { type ConsoleHandle, startConsole } from "./start-console.ts";

const fixture = join(import.meta.dirname, "../../test/fixtures/dev");
let dir: string;
let handle: ConsoleHandle | undefined;
const pages: PageSocket[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "parley-console-"));
  cpSync(fixture, dir, { recursive: true });
});
afterEach(async () => {
  for (const page of pages.splice(0)) page.close();
  await handle?.close();
  handle = undefined;
  rmSync(dir, { recursive: true, force: true });
});

/** `agent dev --web` on the desk fixture against the embedded local server, as fast as it goes. */
async function start(variables: Record<string, string> = {}): Promise<ConsoleHandle> {
  handle = await startConsole(join(dir, "desk.agent.yaml"), {
    pace: 0,
    variables,
    env: { ...process.env, OPENAI_API_KEY: "" },
    cwd: dir,
  });
  return handle;
}

async function page(url: string, origin?: string): Promise<PageSocket> {
  const socket = await PageSocket.open(url, origin);
  pages.push(socket);
  return socket;
}

function get(
  url: string,
): Promise<{ status: number; type: string; body: string; location?: string }> {
  return new Promise((resolve, reject) => {
    request(url, (res) => {
      let body = "";
      res.on("data", (chunk) => (body += chunk));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          type: String(res.headers["content-type"] ?? ""),
          body,
          ...(res.headers.location ? { location: res.headers.location } : {}),
        }),
      );
    })
      .on("error", reject)
      .end();
  });
}

describe("the console server", { timeout: 120_000 }, () => {
  it("serves the page and its socket only under the token, on loopback", async () => {
    const { url, server } = await start();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/[\w-]{32}\/$/);
    const base = `http://127.0.0.1:${server.port}`;

    const pageHtml = await get(url);
    expect(pageHtml.status).toBe(200);
    expect(pageHtml.type).toContain("text/html");
    expect(pageHtml.body).toContain('src="console.js"');
    const script = await get(`${url}console.js`);
    expect(script.status).toBe(200);
    expect(script.type).toContain("javascript");
    expect((await get(`${url}mic-worklet.js`)).body).toContain("parley-mic");
    expect((await get(`${base}/${server.token}`)).location).toBe(`/${server.token}/`);

    for (const path of [
      "/",
      "/console.js",
      `/${server.token.slice(1)}/`,
      `/x${server.token}/console.js`,
    ])
      expect((await get(base + path)).status).toBe(404);
    const wrong = `${base}/${server.token.replace(/^./, (c) => (c === "a" ? "b" : "a"))}/`;
    expect((await get(wrong)).status).toBe(404);
    await expect(PageSocket.open(wrong)).rejects.toThrow("refused: 404");
    // Another site's page cannot drive the session, even knowing the address.
    await expect(PageSocket.open(url, "http://evil.example")).rejects.toThrow("refused: 404");

    const ok = await page(url, `http://127.0.0.1:${server.port}`);
    const { message } = await ok.waitFor((m) => m.type === "hello");
    expect(message).toMatchObject({
      type: "hello",
      target: "local",
      costIsEstimate: true,
      mode: "dev",
      session: { state: "open" },
      agent: {
        name: "desk",
        tools: [
          { name: "lookup_booking", approval: null },
          { name: "refund", approval: "always" },
        ],
        variables: { guest: "there" },
      },
    });
  });

  it("a typed turn: the transcript, the tool call with its filler, and the agent's audio", async () => {
    const { url } = await start();
    const socket = await page(url);
    let { at } = await socket.event("agent.transcript.done", 0, (e) => e.kind === "greeting");
    socket.send({ type: "text", text: "look up booking ABC" });
    ({ at } = await socket.event(
      "user.transcript.done",
      at,
      (e) => e.transcript === "look up booking ABC",
    ));
    const call = await socket.event("tool.call", at, (e) => e.tool === "lookup_booking");
    expect(call.event.arguments).toEqual({ ref: "ABC" });
    await socket.event("tool.filler", call.at, (e) => e.callId === call.event.callId);
    const output = await socket.event(
      "tool.output",
      call.at,
      (e) => e.callId === call.event.callId,
    );
    expect(output.event).toMatchObject({
      state: "completed",
      output: '{"ref":"ABC","status":"confirmed"}',
    });
    const answer = await socket.event(
      "agent.transcript.done",
      output.at,
      (e) => e.kind === "answer" && /confirmed/.test(e.transcript),
    );
    const latency = await socket.event("latency", at);
    expect(latency.event.firstAnswerMs).toBeGreaterThan(0);
    expect(answer.at).toBeGreaterThan(output.at);
    // Each binary frame follows the `agent.audio` event that describes it, with as many bytes.
    const audio = socket.received.flatMap((m, i) =>
      m.type === "audio" ? [{ bytes: m.bytes, event: socket.received[i - 1] }] : [],
    );
    expect(audio.length).toBeGreaterThan(0);
    for (const { bytes, event } of audio)
      expect(event).toMatchObject({
        type: "event",
        event: { type: "agent.audio", audioBytes: bytes },
      });
    // The per-chunk protocol events stay out of the page's feed (they are in the event log).
    expect(
      socket.received.some(
        (m) =>
          m.type === "event" &&
          m.event.type === "server.event" &&
          m.event.event.type === "response.output_audio.delta",
      ),
    ).toBe(false);
  });

  it("the console is the approver: Approve and Deny from the page decide the call", async () => {
    const { url } = await start();
    const socket = await page(url);
    let { at } = await socket.event("agent.transcript.done", 0, (e) => e.kind === "greeting");
    socket.send({ type: "text", text: "refund me 40 euros" });
    const asked = await socket.event("approval.requested", at, (e) => e.tool === "refund");
    expect(asked.event).toMatchObject({ arguments: { amount: 40 }, approver: expect.any(String) });
    socket.send({ type: "approval", callId: asked.event.callId, approved: true });
    const decided = await socket.event(
      "approval.decided",
      asked.at,
      (e) => e.callId === asked.event.callId,
    );
    expect(decided.event.approved).toBe(true);
    const output = await socket.event(
      "tool.output",
      decided.at,
      (e) => e.callId === asked.event.callId,
    );
    expect(output.event).toMatchObject({ state: "completed", output: '{"refunded":40}' });
    ({ at } = await socket.event("idle", output.at));

    socket.send({ type: "text", text: "refund me 40 euros" });
    const again = await socket.event("approval.requested", at, (e) => e.tool === "refund");
    socket.send({ type: "approval", callId: again.event.callId, approved: false });
    const no = await socket.event(
      "approval.decided",
      again.at,
      (e) => e.callId === again.event.callId,
    );
    expect(no.event).toMatchObject({ approved: false, reason: "declined in the console" });
    const denied = await socket.event("tool.output", no.at, (e) => e.callId === again.event.callId);
    expect(denied.event.state).toBe("rejected");
    // A second answer (or one for a call nobody asked about) is refused, and says so.
    socket.send({ type: "approval", callId: again.event.callId, approved: true });
    const refused = await socket.waitFor((m) => m.type === "problem", denied.at);
    expect(refused.message).toMatchObject({
      message: `no approval is waiting for call ${again.event.callId}`,
    });
  });

  it("interrupt truncates the agent's item at the position the page played; playback reports feed barge-in", async () => {
    const { url, hub } = await start();
    const socket = await page(url);
    const greeting = await socket.event("agent.audio.done", 0, (e) => e.kind === "greeting");
    const itemId = greeting.event.itemId;
    socket.send({ type: "interrupt", playedMs: 120 });
    const cut = await socket.event("interrupted", greeting.at);
    expect(cut.event).toMatchObject({ itemId, playedMs: 120, source: "user" });
    const truncate = await socket.event(
      "client.event",
      greeting.at,
      (e) => e.event.type === "conversation.item.truncate",
    );
    expect(truncate.event.event).toMatchObject({ item_id: itemId, audio_end_ms: 120 });

    // The page's playback reports are what a barge-in detected by the server truncates at.
    expect(hub.playedMs(itemId)).toBeUndefined();
    socket.send({ type: "playback", itemId, playedMs: 80 });
    socket.send({ type: "nonsense" }); // answered after the report is taken in: messages are handled in order
    await socket.waitFor((m) => m.type === "problem");
    const heard = hub.playedMs(itemId) as number;
    expect(heard).toBeGreaterThanOrEqual(80);
    expect(heard).toBeLessThan(80 + 500);
  });
});
