import { acceptInMemory } from "@parley/local-realtime";
import { describe, expect, it } from "vitest";
import type { LoadedAgent, ToolsFollower } from "../index.ts";
import { loadAgent } from "../load/index.ts";
import { memoryTransportPair } from "../testing/index.ts";
import { startSession } from "./start-session.ts";

const agentFile = new URL("../../bench/fixtures/peer.agent.yaml", import.meta.url).pathname;

/** Starts a session of `agent` on an in-memory local server and closes it. */
async function runAndClose(agent: LoadedAgent): Promise<void> {
  const { client, server } = memoryTransportPair();
  const peer = acceptInMemory(server, { pace: 0 });
  const session = await startSession({ agent, transport: client });
  await session.close();
  peer.close();
}

describe("a session following its agent's tool changes", () => {
  it("is no follower once closed", async () => {
    const loaded = await loadAgent(agentFile);
    const followers = new Set<ToolsFollower>();
    const seen: number[] = [];
    await runAndClose({
      ...loaded,
      followTools: (f) => {
        followers.add(f);
        seen.push(followers.size);
      },
      unfollowTools: (f) => void followers.delete(f),
    });
    expect(seen).toEqual([1]);
    expect(followers.size).toBe(0);
  });

  it("uses onToolsChanged when the agent has followTools but no unfollowTools (it could not let go)", async () => {
    const loaded = await loadAgent(agentFile);
    const followers = new Set<ToolsFollower>();
    let subscribed = 0;
    let unsubscribed = 0;
    // A JavaScript agent the types would refuse: followTools without its pair.
    const agent = {
      ...loaded,
      followTools: (f: ToolsFollower) => void followers.add(f),
      unfollowTools: undefined,
      onToolsChanged: () => {
        subscribed++;
        return () => void unsubscribed++;
      },
    } as unknown as LoadedAgent;
    await runAndClose(agent);
    expect(followers.size).toBe(0);
    expect([subscribed, unsubscribed]).toEqual([1, 1]);
  });
});
