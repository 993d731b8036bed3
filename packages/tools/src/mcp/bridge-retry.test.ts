import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { McpBridge } from "./bridge.ts";

describe("retrying an MCP server that is down", () => {
  it("backs off exponentially (with jitter) instead of retrying at a fixed interval", async () => {
    // A server that answers every MCP request with 503 and notes when each connection attempt came.
    const attempts: number[] = [];
    let sixth: () => void = () => {};
    const enough = new Promise<void>((resolve) => {
      sixth = resolve;
    });
    const server = createServer((req, res) => {
      if (req.method === "POST") {
        attempts.push(performance.now());
        if (attempts.length === 6) sixth();
      }
      req.resume();
      res.writeHead(503).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    const { port } = server.address() as AddressInfo;
    const bridge = new McpBridge({ label: "down", url: `http://127.0.0.1:${port}/mcp` });
    try {
      await expect(bridge.connect()).rejects.toMatchObject({ code: "mcp_unreachable" });
      bridge.retryInBackground(20);
      await enough;
      // Waits only ever get longer on a busy machine, so lower bounds hold: before the 6th attempt the bridge
      // waited at least 20 ms × 2³ (a fixed interval would have waited 20 ms).
      const gap = (attempts[5] as number) - (attempts[4] as number);
      expect(gap).toBeGreaterThanOrEqual(150);
    } finally {
      await bridge.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    // close() stops the retries: no attempt comes after it.
    const count = attempts.length;
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(attempts.length).toBe(count);
  });
});
