import { type ServerType, serve as serveNode } from "@hono/node-server";
import { webhookApprover } from "@parley/core";
import { findAgentFiles, UsageError } from "../agent-file/find-agent-files.ts";
import { type LogFlags, logSettings, pruneLogs } from "../logs/settings.ts";
import { AgentCatalog } from "./agents.ts";
import { createServeApp } from "./app.ts";
import { readServeConfig, type ServeConfig } from "./config.ts";
import { jsonLines } from "./log.ts";

export interface ServeFlags extends LogFlags {
  port?: number;
  host?: string;
  config?: string;
  maxCalls?: number;
  watch?: boolean;
  /** Serve the browser console too (loopback, its own port and token). */
  console?: boolean;
  consolePort?: number;
}

/**
 * `agent serve`: loads the agents, serves the webhook, browser sessions and health checks on one port, and drains on
 * SIGTERM/SIGINT. Resolves to the exit code once stopped.
 */
export async function runServe(paths: string[], flags: ServeFlags): Promise<number> {
  const level = process.env.PARLEY_LOG_LEVEL;
  const log = jsonLines(
    undefined,
    level === "debug" || level === "warn" || level === "error" ? level : "info",
  );
  const config: ServeConfig = flags.config ? readServeConfig(flags.config) : {};
  if (flags.maxCalls !== undefined) config.maxCalls = flags.maxCalls;
  let files: string[];
  try {
    files = findAgentFiles(paths.length ? paths : (config.agents ?? []));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`agent serve: ${error.message}\n`);
    return 2;
  }
  if (files.length === 0) {
    process.stderr.write(
      "agent serve: give agent files or folders (or `agents:` in the serve config)\n",
    );
    return 2;
  }
  if (!process.env.OPENAI_API_KEY)
    log({
      level: "warn",
      msg: "OPENAI_API_KEY is not set: accepting calls will fail against the real API",
    });
  if (!process.env.OPENAI_WEBHOOK_SECRET)
    log({
      level: "warn",
      msg: "OPENAI_WEBHOOK_SECRET is not set: the SIP webhook refuses every delivery",
    });
  const agents = await AgentCatalog.open(files, { log, watch: flags.watch !== false });
  const approvers = config.approvals
    ? [webhookApprover({ url: config.approvals.webhook, secret: config.approvals.secret })]
    : [];
  const web = flags.console ? await startWebConsole(agents, flags.consolePort) : undefined;
  if (web) approvers.push(web.approvals.approver);
  const sessionLogs = logSettings(flags, process.env);
  pruneLogs(sessionLogs, (msg) => log({ level: "info", msg }));
  const serve = createServeApp({
    agents,
    config,
    log,
    approvers,
    ...(sessionLogs ? { sessionLogs } : {}),
    ...(web ? { onSession: (session, call) => web.follow(session, call) } : {}),
  });
  const port = flags.port ?? config.port ?? 8080;
  const host = flags.host ?? config.host ?? "127.0.0.1";
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serveNode({ fetch: serve.fetch, port, hostname: host }, () => resolve(s));
    s.once("error", reject);
  });
  const address = server.address();
  const shown = typeof address === "object" && address ? address.port : port;
  log({
    level: "info",
    msg: "serving",
    url: `http://${host.includes(":") ? `[${host}]` : host}:${shown}`,
    port: shown,
    agents: agents.names,
    webhook: "/openai/webhook",
    sessionLogs: sessionLogs?.dir ?? "off",
    baseUrl: config.baseUrl ?? process.env.OPENAI_BASE_URL ?? "https://api.openai.com/v1",
  });
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once("SIGTERM", () => resolve("SIGTERM"));
    process.once("SIGINT", () => resolve("SIGINT"));
  });
  log({ level: "info", msg: "stopping", signal });
  // The port stays open while draining: new calls get a 503 reject and /readyz says not ready.
  await serve.drain((config.drainSeconds ?? 30) * 1000);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await web?.close();
  await agents.close();
  log({ level: "info", msg: "stopped" });
  return 0;
}

/**
 * The console of `agent serve --console`, on loopback whatever `--host` says (the page can talk into calls and
 * approve): its address, with its token, goes to stderr for the person at the terminal, never into the JSON log.
 */
async function startWebConsole(agents: AgentCatalog, port: number | undefined) {
  const { startServeConsole } = await import("../console/serve-console.ts");
  const first = agents.get(agents.names[0] as string);
  if (!first) return undefined;
  const web = await startServeConsole({ agent: first, ...(port !== undefined ? { port } : {}) });
  process.stderr.write(
    `console: ${web.url} (this machine only; the address holds a secret token)\n`,
  );
  return web;
}
