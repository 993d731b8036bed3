// Test support for agent serve: the real local Realtime server, the serve app on a real port, captured JSON logs.
import type { AddressInfo } from "node:net";
import { serve as serveNode } from "@hono/node-server";
import type { Approver, StartSessionOptions } from "@parley/core";
import { type LocalRealtime, newWebhookSecret, startLocalRealtime } from "@parley/local-realtime";
import { onTestFinished } from "vitest";
import type { LogSettings } from "../../src/logs/settings.ts";
import { AgentCatalog } from "../../src/serve/agents.ts";
import { createServeApp, type ServeApp, type ServeAppOptions } from "../../src/serve/app.ts";
import type { ServeConfig } from "../../src/serve/config.ts";
import type { LogLine } from "../../src/serve/log.ts";
import type { CallSummary } from "../../src/serve/summary.ts";

export const FIXTURES = new URL("../fixtures/serve/", import.meta.url).pathname;

export interface ServeUnderTest {
  local: LocalRealtime;
  serve: ServeApp;
  url: string;
  webhookUrl: string;
  secret: string;
  logs: LogLine[];
  summaries: CallSummary[];
}

/** Starts a local server and `agent serve`'s app against it (both closed when the test ends). */
export async function startServe(
  options: {
    config?: ServeConfig;
    files?: string[];
    approvers?: Approver[];
    session?: Partial<StartSessionOptions>;
    sessionLogs?: LogSettings;
    pruneEveryMs?: number;
    onSession?: ServeAppOptions["onSession"];
  } = {},
): Promise<ServeUnderTest> {
  const local = await startLocalRealtime({ pace: 0 });
  // call-control's transfer_call reads the API base and key from the environment, as under `agent serve`.
  process.env.OPENAI_BASE_URL = local.baseURL;
  process.env.OPENAI_API_KEY = "sk-test-serve";
  const logs: LogLine[] = [];
  const summaries: CallSummary[] = [];
  const log = (line: LogLine) => void logs.push(line);
  const agents = await AgentCatalog.open(
    options.files ?? [`${FIXTURES}desk.agent.yaml`, `${FIXTURES}busy.agent.yaml`],
    { log },
  );
  const secret = newWebhookSecret();
  const serve = createServeApp({
    agents,
    config: { baseUrl: local.baseURL, ...options.config },
    apiKey: "sk-test-serve",
    webhookSecret: secret,
    log,
    ...(options.approvers ? { approvers: options.approvers } : {}),
    ...(options.session ? { session: options.session } : {}),
    ...(options.sessionLogs ? { sessionLogs: options.sessionLogs } : {}),
    ...(options.pruneEveryMs ? { pruneEveryMs: options.pruneEveryMs } : {}),
    ...(options.onSession ? { onSession: options.onSession } : {}),
    onSummary: (s) => void summaries.push(s),
  });
  const server = await new Promise<ReturnType<typeof serveNode>>((resolve) => {
    const s = serveNode({ fetch: serve.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  onTestFinished(async () => {
    serve.calls.stopPruning();
    await serve.calls.closeAll();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await agents.close();
    await local.close();
  });
  return { local, serve, url, webhookUrl: `${url}/openai/webhook`, secret, logs, summaries };
}
