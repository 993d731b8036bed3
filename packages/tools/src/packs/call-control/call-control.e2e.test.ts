// call-control through the real runtime and the local Realtime server: ctx.session comes from the session.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  codeApprover,
  type LoadedAgent,
  loadAgent,
  type Session,
  type SessionEvents,
  startSession,
} from "@parley/core";
import { type LocalRealtime, startLocalRealtime } from "@parley/local-realtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHttpServer } from "../../../test/http-server.ts";

let server: LocalRealtime;
let calls: Awaited<ReturnType<typeof startHttpServer>>;
let dir: string;
let agent: LoadedAgent;
let callId: string;

beforeAll(async () => {
  server = await startLocalRealtime({ port: 0, pace: 0 });
  // A SIP call the local server knows and has accepted: its sideband is refused before that, as the API's is.
  const call = server.calls.create("sip");
  server.calls.accept(call, { type: "realtime" });
  callId = call.id;
  // Stands in for the calls endpoint of api.openai.com (POST /v1/realtime/calls/{id}/refer).
  calls = await startHttpServer((req, res) => {
    if (req.headers.authorization !== "Bearer sk-test-key-123456") {
      res.statusCode = 401;
      return void res.end();
    }
    res.statusCode = req.url === `/v1/realtime/calls/${callId}/refer` ? 200 : 404;
    res.end();
  });
  dir = await mkdtemp(join(tmpdir(), "parley-call-control-"));
  const file = join(dir, "phone.agent.yaml");
  await writeFile(
    file,
    [
      "name: phone",
      "instructions: You answer the phone.",
      "tools:",
      '  - use: "@parley/tools/call-control"',
      "    options:",
      '      targets: { front_desk: "tel:+14155550123" }',
      `      baseUrl: ${calls.url}/v1`,
      '      apiKey: "sk-test-key-123456"',
      "",
    ].join("\n"),
  );
  agent = await loadAgent(file);
});
afterAll(async () => {
  await calls.close();
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

type Closed = Parameters<SessionEvents["closed"]>[0];

function record(session: Session) {
  const log: string[] = [];
  session.on("tool.output", (e) => void log.push(`output ${e.tool} ${e.state}`));
  session.on("agent.transcript.done", (e) => void log.push(`said ${e.kind}`));
  const closed = new Promise<Closed>((resolve) => session.on("closed", resolve));
  return { log, closed };
}

describe("call-control in a live session", () => {
  it("end_call: the output is sent, the agent's answer is said, then the session closes as ended", async () => {
    const session = await startSession({ agent, url: server.url });
    const { log, closed } = record(session);
    session.sendText('/call end_call {"reason":"caller said goodbye"}');
    const done = await closed;
    expect(done.reason).toBe("ended");
    expect(done.detail).toContain("caller said goodbye");
    expect(log).toEqual(["output end_call completed", "said answer"]);
    // The answer is in the conversation, after the call's output.
    const kinds = done.conversation.items.map((i) => i.type);
    expect(kinds.slice(-3)).toEqual(["function_call", "function_call_output", "message"]);
    expect(session.open).toBe(false);
  });

  it("transfer_call: asks for approval, then REFERs the SIP call to the named target", async () => {
    const asked: string[] = [];
    const session = await startSession({
      agent,
      url: server.url,
      callId,
      scheduler: {
        approvers: [
          codeApprover((r) => {
            asked.push(r.tool);
            return { approved: true };
          }),
        ],
      },
    });
    const { closed } = record(session);
    const output = new Promise<Parameters<SessionEvents["tool.output"]>[0]>((resolve) =>
      session.on("tool.output", resolve),
    );
    const before = calls.requests.length;
    session.sendText('/call transfer_call {"target":"front_desk"}');
    const out = await output;
    expect(asked).toEqual(["transfer_call"]);
    expect(out.state).toBe("completed");
    expect(JSON.parse(out.output)).toEqual({ transferred: true, target: "front_desk" });
    const refer = calls.requests.slice(before);
    expect(refer).toHaveLength(1);
    expect(refer[0]?.url).toBe(`/v1/realtime/calls/${callId}/refer`);
    expect(JSON.parse(refer[0]?.body ?? "")).toEqual({ target_uri: "tel:+14155550123" });
    await session.close();
    expect((await closed).reason).toBe("closed");
  });
});
