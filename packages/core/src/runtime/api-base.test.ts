import { describe, expect, it } from "vitest";
import { loadAgent } from "../load/index.ts";
import { apiBaseFor, apiBaseOfRealtimeUrl, OPENAI_API_BASE, realtimeUrlOf } from "./api-base.ts";
import { startSession } from "./start-session.ts";
import { fixture, next, startServer } from "./test-support/harness.ts";

describe("the API base (per region)", () => {
  it("is the option, else the agent's, else PARLEY_API_BASE / OPENAI_BASE_URL, else the default", () => {
    const eu = "https://eu.api.openai.com/v1";
    expect(apiBaseFor({ option: eu, agent: "https://x/v1", env: {} })).toBe(eu);
    expect(apiBaseFor({ agent: `${eu}/`, env: { PARLEY_API_BASE: "https://y/v1" } })).toBe(eu);
    expect(apiBaseFor({ env: { PARLEY_API_BASE: eu, OPENAI_BASE_URL: "https://z/v1" } })).toBe(eu);
    expect(apiBaseFor({ env: { OPENAI_BASE_URL: eu } })).toBe(eu);
    expect(apiBaseFor({ env: {} })).toBe(OPENAI_API_BASE);
  });

  it("gives the Realtime WebSocket of a base, and the REST base of a Realtime URL", () => {
    expect(realtimeUrlOf("https://eu.api.openai.com/v1")).toBe(
      "wss://eu.api.openai.com/v1/realtime",
    );
    expect(realtimeUrlOf("http://127.0.0.1:4100/v1")).toBe("ws://127.0.0.1:4100/v1/realtime");
    expect(apiBaseOfRealtimeUrl("ws://127.0.0.1:4100/v1/realtime?model=gpt-realtime")).toBe(
      "http://127.0.0.1:4100/v1",
    );
    expect(apiBaseOfRealtimeUrl("wss://eu.api.openai.com/v1/realtime")).toBe(
      "https://eu.api.openai.com/v1",
    );
  });

  it("an agent's apiBase carries both its Realtime session and its delegations' Responses calls", async () => {
    const server = await startServer();
    try {
      const agent = await loadAgent(fixture("delegate/regional.agent.yaml"));
      // The file names a dead port; the test points it at the local server as a region would be.
      const regional = { ...agent, config: { ...agent.config, apiBase: server.baseURL } };
      const session = await startSession({ agent: regional, apiKey: "sk-test" });
      try {
        const done = next(session, "delegation.done");
        session.sendText("I want to dispute a charge on invoice 2041");
        expect((await done).state).toBe("answered");
        expect(server.textRequests).toBe(2);
      } finally {
        await session.close();
      }
    } finally {
      await server.close();
    }
  });
});
