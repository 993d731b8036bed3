import { execFile } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = new URL("../../../../", import.meta.url).pathname;
const leaky = "packages/cli/test/fixtures/secrets/leaky.agent.yaml";

/** Known secrets, planted through the environment into every place an agent file can put them. */
const SECRETS = {
  SUPPORT_JWT: "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJwcm9vZiJ9.c2lnbmF0dXJlLXByb29m", // instructions
  PROMPT_SECRET: "prv_Hk29Xa77", // prompt.variables
  TRACE_SECRET: "trv_Wd55Ns31", // tracing.metadata
  MCP_PASS: "pw_Zx81Lq02", // MCP URL userinfo
  MCP_URL_TOKEN: "tokv_9f8e7d6c5b4a", // MCP URL ?token=
  ACCESS_KEY: "akv_Qm3nB7pL", // X-Access-Key header
  BRIDGE_TOKEN: "apt_R7s8T9u0", // a bridged server prints it on stderr
};
/** Not from the environment: a bridged HTTP server's error body quotes a bearer token it was never given by us. */
const BODY_TOKEN = "brv_Pz44Kd88abcdefgh";

let server: Server;
let bridgeUrl = "";
beforeAll(async () => {
  server = createServer((_req, res) => {
    res
      .writeHead(401, { "content-type": "text/plain" })
      .end(`unauthorized: expected Bearer ${BODY_TOKEN}`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  bridgeUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function agent(args: string[]): Promise<{ code: number; out: string }> {
  const env = {
    ...process.env,
    NO_COLOR: "1",
    FORCE_COLOR: "0",
    ...SECRETS,
    BRIDGE_URL: bridgeUrl,
  };
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(root, "packages/cli/bin/agent.js"), ...args],
      { cwd: root, env },
      (error, stdout, stderr) =>
        resolve({
          code: typeof error?.code === "number" ? error.code : error ? 1 : 0,
          out: `${stdout}\n${stderr}`,
        }),
    );
  });
}

function leaks(out: string): string[] {
  return [...Object.entries(SECRETS), ["BODY_TOKEN", BODY_TOKEN] as const]
    .filter(([, value]) => out.includes(value))
    .map(([name]) => name);
}

const COMMANDS: Record<string, string[]> = {
  compile: ["compile", leaky],
  "compile --target client-secret": ["compile", "--target", "client-secret", leaky],
  tools: ["tools", leaky],
  "tools --json": ["tools", "--json", leaky],
  validate: ["validate", leaky],
  "validate --json": ["validate", "--json", leaky],
};

describe("no secret leaves the CLI in clear", () => {
  // The commands run side by side: each spawns the real binary, which takes seconds on a busy machine.
  const runs = new Map<string, { code: number; out: string }>();
  beforeAll(async () => {
    const done = await Promise.all(Object.values(COMMANDS).map((args) => agent(args)));
    for (const [i, name] of Object.keys(COMMANDS).entries())
      runs.set(name, done[i] as { code: number; out: string });
  }, 180_000);

  it.each(Object.keys(COMMANDS))(
    "agent %s: stdout and stderr hold none of the planted secrets",
    (name) => {
      const run = runs.get(name) as { code: number; out: string };
      expect(run.code, run.out).toBe(0);
      expect(leaks(run.out), run.out).toEqual([]);
      expect(run.out).toContain("[redacted]");
    },
  );

  it("the warnings still say what went wrong (the secret goes, the message stays)", () => {
    const out = runs.get("validate")?.out ?? "";
    expect(out).toContain("API_TOKEN=[redacted]");
    expect(out).toMatch(/MCP server "http": cannot connect/);
  });
});
