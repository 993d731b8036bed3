import { loadAgent } from "@parley/core";
import { describe, expect, it, onTestFinished } from "vitest";
import { PageSocket } from "../../test/helpers/console-page.ts";
import { FIXTURES, startServe } from "../../test/helpers/serve.ts";
import { startServeConsole } from "./serve-console.ts";

describe("agent serve --console", { timeout: 120_000 }, () => {
  it("follows a phone call: its timeline live, typed text into the call, an approval from the page", async () => {
    const web = await startServeConsole({ agent: await loadAgent(`${FIXTURES}desk.agent.yaml`) });
    onTestFinished(() => web.close());
    const t = await startServe({
      approvers: [web.approvals.approver],
      onSession: (session, call) => web.follow(session, call.agent),
    });
    const page = await PageSocket.open(web.url);
    onTestFinished(() => page.close());
    const hello = await page.waitFor((m) => m.type === "hello");
    expect(hello.message).toMatchObject({ mode: "watch", session: { state: "starting" } });

    const call = await t.local.simulateIncomingCall({ webhookUrl: t.webhookUrl, secret: t.secret });
    const open = await page.waitFor((m) => m.type === "session" && m.state === "open");
    expect(await call.waitForAgent()).toMatch(/^Hello, front desk/);

    // Typed in the console, said into the call: the agent answers the caller with its tool.
    page.send({ type: "text", text: "is room 12 free tonight" });
    // The call's audio goes between the caller and the API: a page's audio is not put into it.
    page.sendAudio(Buffer.alloc(4800));
    const check = await page.event("tool.call", open.at, (e) => e.tool === "check_room");
    expect(check.event.arguments).toEqual({ room: 12 });
    expect(await call.waitForAgent(/room 12/)).toMatch(/free/);

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
    expect(web.hub.events()).toContain('"type":"tool.call"');
    expect(web.hub.events()).not.toContain("input_audio_buffer.append");
  });
});
