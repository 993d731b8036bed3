import { acceptInMemory } from "@parley/local-realtime";
import { afterEach, describe, expect, it } from "vitest";
import { loadAgent } from "../load/index.ts";
import { leaked } from "../log/test-support/leaked.ts";
import { memoryTransportPair } from "../testing/index.ts";
import type { StreamEvent } from "./event-stream.ts";
import { startSession } from "./start-session.ts";
import { next } from "./test-support/harness.ts";

const fixture = (name: string) =>
  new URL(`../../test/fixtures/stream-secrets/${name}`, import.meta.url).pathname;
const MCP_TOKEN = "mcp-stream-token-7c1e55aa90";
const TENANT = "tenant-opaque-q7w2e9r4";

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

describe("the event stream's redaction (cheap path included)", () => {
  it("masks a secret anywhere in an event: session.update header, nested tool arguments and output, error messages", async () => {
    const { client, server } = memoryTransportPair();
    const peer = acceptInMemory(server, { pace: 0 });
    cleanup.push(() => peer.close());
    const agent = await loadAgent(fixture("vault.agent.yaml"), {
      env: { PARLEY_STREAM_MCP_TOKEN: MCP_TOKEN, PARLEY_STREAM_TENANT: TENANT },
    });
    const events: StreamEvent[] = [];
    const session = await startSession({
      agent,
      transport: client,
      timeoutMs: 15_000,
      onEvent: (e) => events.push(e),
    });
    cleanup.push(() => session.close());
    // A listener that fails with a secret in its message: the stream reports it as an error event.
    let thrown = 0;
    session.onEvent((e) => {
      if (e.type === "response.started" && thrown++ === 0)
        throw new Error("listener saw Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln");
    });

    const called = next(session, "tool.output", (e) => e.tool === "account");
    session.sendText('/call account {"number":"42","card":{"pin":"9876","cvv":"123"}}');
    await called;
    const failed = next(session, "tool.output", (e) => e.tool === "fails");
    session.sendText("/call fails {}");
    await failed;
    await session.close();

    const text = JSON.stringify(events);
    // What is checked did reach the stream (so its absence below is redaction, not a missing event).
    expect(text).toContain('"server_label":"crm"');
    expect(text).toContain('"x-tenant":"[redacted]"');
    const call = events.find((e) => e.type === "tool.call" && e.tool === "account");
    expect(call).toMatchObject({
      arguments: { number: "42", card: { pin: "[redacted]", cvv: "[redacted]" } },
    });
    expect(events.some((e) => e.type === "error" && e.error.message.includes("listener saw"))).toBe(
      true,
    );
    expect(
      leaked(text, [
        MCP_TOKEN,
        TENANT,
        "9876",
        "opaque-cookie-value-991",
        "sk-proj-NESTEDKEY0123456789abcdefgh",
        "AKIAQWERTYUIOPASDFG1",
        "swordfish99",
        "eyJhbGciOiJIUzI1NiJ9",
      ]),
    ).toEqual([]);
  });
});
