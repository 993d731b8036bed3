import { loadAgent } from "@parley/core";
import { describe, expect, it, onTestFinished } from "vitest";
import { PageSocket, type Received } from "../../test/helpers/console-page.ts";
import { FIXTURES, startServe } from "../../test/helpers/serve.ts";
import { startServeConsole } from "./serve-console.ts";

/** The local caller's waits: generous, the machine may be busy (they end as soon as the words come). */
const SLOW = 60_000;

/** `agent serve` on the local server with its console, and a page on the console (all closed after the test). */
async function watching() {
  const web = await startServeConsole({ agent: await loadAgent(`${FIXTURES}desk.agent.yaml`) });
  onTestFinished(() => web.close());
  const t = await startServe({
    approvers: [web.approvals.approver],
    onSession: (session, call) => web.follow(session, call),
  });
  const page = await PageSocket.open(web.url);
  onTestFinished(() => page.close());
  return { web, t, page };
}

describe("agent serve --console", { timeout: 120_000 }, () => {
  it("follows a phone call: its timeline live, typed text into the call, an approval from the page", async () => {
    const { web, t, page } = await watching();
    const hello = await page.waitFor((m) => m.type === "hello");
    expect(hello.message).toMatchObject({ mode: "watch", session: { state: "starting" } });

    const call = await t.local.simulateIncomingCall({ webhookUrl: t.webhookUrl, secret: t.secret });
    const open = await page.waitFor((m) => m.type === "session" && m.state === "open");
    expect(await call.waitForAgent(/./, SLOW)).toMatch(/^Hello, front desk/);

    // Typed in the console, said into the call: the agent answers the caller with its tool.
    page.send({ type: "text", text: "is room 12 free tonight" });
    // The call's audio goes between the caller and the API: a page's audio is not put into it.
    page.sendAudio(Buffer.alloc(4800));
    const check = await page.event("tool.call", open.at, (e) => e.tool === "check_room");
    expect(check.event.arguments).toEqual({ room: 12 });
    expect(await call.waitForAgent(/room 12/, SLOW)).toMatch(/free/);

    // The caller asks for a transfer; the console approves it.
    await call.say("can I talk to front desk");
    const asked = await page.event(
      "approval.requested",
      check.at,
      (e) => e.tool === "transfer_call",
    );
    page.send({ type: "approval", callId: asked.event.callId, approved: true });
    expect(await call.ended).toBe("transferred");
    await page.waitFor((m) => m.type === "session" && m.state === "ended", asked.at);
    expect(web.events()).toContain('"type":"tool.call"');
    expect(web.events()).not.toContain("input_audio_buffer.append");
  });

  it("lists the calls; a page picks one (its stream so far, then live), follows the newest until it picks, and keeps ended calls", async () => {
    const { web, t, page } = await watching();
    const none = await page.waitFor(isCalls);
    expect(none.message).toMatchObject({ calls: [], watching: null, follow: true });

    // Call A: the page follows it; the console types into it.
    const a = await t.local.simulateIncomingCall({
      webhookUrl: t.webhookUrl,
      secret: t.secret,
      from: "+14155550101",
      answerTimeoutMs: SLOW,
    });
    const onA = await page.waitFor((m) => isCalls(m) && m.watching === a.callId);
    expect(await a.waitForAgent(/./, SLOW)).toContain("+14155550101");
    page.send({ type: "text", text: "is room 12 free tonight" });
    await page.event("tool.output", onA.at, (e) => e.tool === "check_room");

    // Call B: a page that has not picked goes to the newest call.
    const b = await t.local.simulateIncomingCall({
      webhookUrl: t.webhookUrl,
      secret: t.secret,
      from: "+14155550102",
      answerTimeoutMs: SLOW,
    });
    const onB = await page.waitFor((m) => isCalls(m) && m.watching === b.callId, onA.at + 1);
    expect((onB.message as CallsMessage).calls.map((c) => [c.id, c.state])).toEqual([
      [b.callId, "live"],
      [a.callId, "live"],
    ]);
    expect(await b.waitForAgent(/./, SLOW)).toContain("+14155550102");
    const greetedB = await page.event("agent.transcript.done", onB.at, (e) =>
      e.transcript.includes("+14155550102"),
    );

    // Pick A: its hello and its stream from the start (the typed turn), then A live, never B.
    page.send({ type: "pick", callId: a.callId });
    const hello = await page.waitFor((m) => m.type === "hello", greetedB.at);
    expect(hello.message).toMatchObject({ session: { state: "open" } });
    const picked = await page.waitFor(isCalls, hello.at);
    expect(picked.message).toMatchObject({ watching: a.callId, follow: false });
    const replayed = page.received.slice(hello.at, picked.at);
    expect(replayed.some((m) => m.type === "event" && m.event.type === "tool.output")).toBe(true);
    expect(JSON.stringify(replayed)).toContain("+14155550101");
    expect(JSON.stringify(replayed)).not.toContain("+14155550102");
    await b.say("is room 7 free tonight");
    await a.say("is room 9 free tonight");
    const nine = await page.event("tool.call", picked.at, (e) => e.tool === "check_room");
    expect(nine.event.arguments).toEqual({ room: 9 });
    expect(await a.waitForAgent(/room 9/, SLOW)).toMatch(/free/);
    // The agent's side of the call plays in the page when the sideband carries its audio (the local server's does).
    const spoken = await page.event("agent.audio", nine.at, (e) => e.kind !== "filler");
    await page.waitFor(() => page.audioBytes(spoken.event.itemId) > 0);
    expect(await b.waitForAgent(/room 7/, SLOW)).toMatch(/free/);
    await page.event("idle", nine.at);
    // What the page types goes into the call it watches.
    page.send({ type: "text", text: "is room 3 free tonight" });
    expect(await a.waitForAgent(/room 3/, SLOW)).toMatch(/free/);
    const since = page.received.slice(picked.at);
    expect(JSON.stringify(since)).not.toMatch(/room 7|"room":7/);

    // A second page follows the newest call (B); a new call C would take it, not the page that picked A.
    const other = await PageSocket.open(web.url);
    onTestFinished(() => other.close());
    await other.waitFor((m) => isCalls(m) && m.watching === b.callId && m.follow);

    // Ending A from the page: listed as ended, still watchable; null goes back to the newest.
    page.send({ type: "end" });
    const ended = await page.waitFor(
      (m) => isCalls(m) && m.calls.some((c) => c.id === a.callId && c.state === "ended"),
      picked.at,
    );
    expect(await a.ended).toBeDefined();
    page.send({ type: "pick", callId: b.callId });
    const backOnB = await page.waitFor((m) => isCalls(m) && m.watching === b.callId, ended.at);
    page.send({ type: "pick", callId: a.callId });
    const again = await page.waitFor((m) => m.type === "hello", backOnB.at);
    expect(again.message).toMatchObject({ session: { state: "ended" } });
    await page.event(
      "tool.call",
      again.at,
      (e) => e.tool === "check_room" && (e.arguments as { room: number }).room === 9,
    );
    page.send({ type: "pick", callId: "rtc_nope" });
    const refused = await page.waitFor((m) => m.type === "problem", again.at);
    expect(refused.message).toMatchObject({ message: expect.stringContaining("no call rtc_nope") });
    page.send({ type: "pick", callId: null });
    await page.waitFor((m) => isCalls(m) && m.watching === b.callId && m.follow, refused.at);
  });
});

type CallsMessage = Extract<Received, { type: "calls" }>;
function isCalls(m: Received): m is CallsMessage {
  return m.type === "calls";
}
