import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { BIN, runCli, testEnv } from "../../test/helpers/cli.ts";

// The cli package has no WebSocket client of its own; borrow the one the local server package depends on.
const WebSocket = createRequire(fileURLToPath(import.meta.resolve("@parley/local-realtime")))(
  "ws",
) as typeof import("ws").default;

const children: Array<ReturnType<typeof spawn>> = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill("SIGKILL");
});

/** Starts `agent sim …` and resolves with its stdout once it says where it listens. */
function startSim(args: string[]): Promise<{ child: ReturnType<typeof spawn>; out: () => string }> {
  const child = spawn(process.execPath, [BIN, "sim", ...args], {
    env: testEnv(),
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let out = "";
  return new Promise((resolve, reject) => {
    child.stdout.on("data", (d) => {
      out += d;
      if (out.includes("Ctrl-C")) resolve({ child, out: () => out });
    });
    child.stderr.on("data", (d) => (out += d));
    child.on("exit", (code) => reject(new Error(`agent sim exited with ${code}: ${out}`)));
  });
}

function firstEvent(url: string, ca?: string): Promise<{ type: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, {
      headers: { Authorization: "Bearer any" },
      ...(ca ? { ca } : {}),
    });
    ws.once("message", (data) => {
      resolve(JSON.parse(String(data)));
      ws.terminate();
    });
    ws.once("error", reject);
  });
}

describe("agent sim", () => {
  it("serves the Realtime protocol until stopped", async () => {
    const { child, out } = await startSim(["--port", "0"]);
    const url = /listening on (ws:\/\/\S+)/.exec(out())?.[1] as string;
    expect((await firstEvent(`${url}?model=gpt-realtime`)).type).toBe("session.created");
    const exited = new Promise<number | null>((resolve) =>
      child.once("exit", (code) => resolve(code)),
    );
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(out()).toContain("stopped");
  });

  it("serves wss:// with --tls and writes the certificate to trust", async () => {
    const { out } = await startSim(["--port", "0", "--tls"]);
    const url = /listening on (wss:\/\/\S+)/.exec(out())?.[1] as string;
    const certFile = /NODE_EXTRA_CA_CERTS=(\S+)/.exec(out())?.[1] as string;
    expect(
      (await firstEvent(`${url}?model=gpt-realtime`, readFileSync(certFile, "utf8"))).type,
    ).toBe("session.created");
  });

  it("says so, without a stack trace, when the port is taken", async () => {
    const { out } = await startSim(["--port", "0"]);
    const port = /127\.0\.0\.1:(\d+)/.exec(out())?.[1] as string;
    const result = await runCli(["sim", "--port", port]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `error[listen_failed]: Could not listen on 127.0.0.1:${port}: the port is in use\n`,
    );
  });

  it("says so, closing the server, when --cert-out cannot be written", async () => {
    const file = join(tmpdir(), "parley-no-such-dir", "sim.pem");
    const result = await runCli(["sim", "--tls", "--port", "0", "--cert-out", file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `error[cert_out_failed]: --cert-out ${file}: could not write the certificate (ENOENT)\n`,
    );
  });

  it("rejects a bad port as a usage error", async () => {
    const result = await runCli(["sim", "--port", "http"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("a port is a whole number from 0 to 65535");
  });
});
