import { acceptInMemory } from "@parley/local-realtime";
import { afterEach, describe, expect, it, vi } from "vitest";
import { loadAgent } from "../load/index.ts";
import { AgentTools } from "../scheduler/agent-tools.ts";
import { memoryTransportPair } from "../testing/index.ts";
import { startSession } from "./start-session.ts";

const agentFile = new URL("../../bench/fixtures/peer.agent.yaml", import.meta.url).pathname;

afterEach(() => {
  vi.restoreAllMocks();
});

describe("closing a session", () => {
  it("that never had a tool call does not build its lazy tool handler just to close it", async () => {
    const agent = await loadAgent(agentFile);
    const { client, server } = memoryTransportPair();
    const peer = acceptInMemory(server, { pace: 0 });
    const close = vi.spyOn(AgentTools.prototype, "close");
    const session = await startSession({ agent, transport: client });
    await session.close();
    peer.close();
    expect(session.open).toBe(false);
    expect(close).not.toHaveBeenCalled();
  });
});
