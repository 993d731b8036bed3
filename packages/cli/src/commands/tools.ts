import { relative } from "node:path";
import { type AnyToolDefinition, type LoadedAgent, parseDuration } from "@parley/core";
import type { Command } from "commander";
import { envSecretValues } from "../agent-file/env-secrets.ts";
import type { RegisterCommand } from "./index.ts";

/** One resolved tool as `agent tools --json` prints it. */
export interface ToolListing {
  name: string;
  description: string;
  /** "pack" | "inline" | "mcp" (bridged local server) | "remote-mcp" (called by the Realtime API itself). */
  kind: "inline" | "pack" | "mcp" | "remote-mcp";
  /** `@parley/tools/clock@0.1.0`, `./tools/booking.ts`'s agent file, `mcp files`. */
  source: string;
  pack?: string;
  file?: string;
  server?: string;
  approval?: unknown;
  timeoutMs?: number;
  filler?: unknown;
  examples: number;
}

/** `agent tools <agent-file> [--json]`: the agent's resolved tools and where each came from. */
export const registerTools: RegisterCommand = (program: Command) => {
  program
    .command("tools")
    .description(
      "list the resolved tools of an agent and where each came from (pack, inline handler, MCP server)",
    )
    .argument("<agent-file>", "the agent file (.agent.yaml, .agent.md or .agent.ts)")
    .option("--json", "print JSON instead of a table")
    .action(async (file: string, opts: { json?: boolean }) => {
      process.exitCode = await runTools(file, opts, {
        stdout: process.stdout,
        stderr: process.stderr,
      });
    });
};

interface Io {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

/** Loads the agent (secrets may be missing: listing tools does not need them) and prints its tools. */
export async function runTools(file: string, opts: { json?: boolean }, io: Io): Promise<number> {
  const { AgentFileError, formatProblems, loadAgent, redact, redactString } = await import(
    "@parley/core"
  );
  const cwd = process.cwd();
  let agent: LoadedAgent;
  try {
    agent = await loadAgent(file, { missingEnv: "warn" });
  } catch (error) {
    if (error instanceof AgentFileError) {
      const text = formatProblems(error.problems, error.sources, { cwd });
      io.stderr.write(`${redactString(text, envSecretValues([file]))}\n`);
      return 1;
    }
    throw error;
  }
  try {
    // Values the agent reads from the environment are secrets wherever they land (an MCP URL, a description).
    const secrets = envSecretValues([file, ...agent.files]);
    if (agent.warnings.length > 0)
      io.stderr.write(`${redactString(formatProblems(agent.warnings, {}, { cwd }), secrets)}\n`);
    const listing = redact(listTools(agent, cwd), { values: secrets });
    io.stdout.write(
      opts.json ? `${JSON.stringify(listing, null, 2)}\n` : renderTable(agent, listing, cwd),
    );
    return 0;
  } finally {
    await closeAgent(agent);
  }
}

/** The rows of `agent tools`: the agent's function tools, then the remote MCP servers the API will call. */
export function listTools(agent: LoadedAgent, cwd: string): ToolListing[] {
  const rows = agent.tools.map((tool) => listing(tool, cwd));
  for (const server of agent.config.mcp ?? []) {
    const where = server.url ?? server.connector ?? "";
    rows.push({
      name: server.allowedTools ? server.allowedTools.join(", ") : "(all tools of the server)",
      description: server.description ?? "",
      kind: "remote-mcp",
      source: `remote mcp ${server.label} (${where})`,
      server: server.label,
      ...(server.approval !== undefined ? { approval: server.approval } : {}),
      examples: 0,
    });
  }
  return rows;
}

function listing(tool: AnyToolDefinition, cwd: string): ToolListing {
  const origin = tool.origin ?? { kind: "inline" as const };
  const file =
    origin.file && origin.kind !== "mcp" ? relative(cwd, origin.file) || origin.file : undefined;
  const source =
    origin.kind === "pack"
      ? `${origin.pack ?? "pack"}${file && !file.includes("node_modules") && !isPackageFile(origin.pack, file) ? ` (${file})` : ""}`
      : origin.kind === "mcp"
        ? `mcp ${origin.file ?? "?"}${origin.pack ? ` via ${origin.pack}` : ""}`
        : `inline (${file ?? "?"})`;
  const row: ToolListing = {
    name: tool.name,
    description: firstSentence(tool.description),
    kind: origin.kind,
    source,
    examples: tool.examples?.length ?? 0,
  };
  if (origin.pack) row.pack = origin.pack;
  if (file) row.file = file;
  if (origin.kind === "mcp" && origin.file) row.server = origin.file;
  if (tool.approval !== undefined) row.approval = tool.approval;
  const timeout = tool.timeout === undefined ? undefined : parseDuration(tool.timeout);
  if (timeout !== undefined) row.timeoutMs = timeout;
  if (tool.filler !== undefined) row.filler = tool.filler;
  return row;
}

// A shipped pack (`@parley/tools/clock`) is named by its package; only local packs show their file.
function isPackageFile(pack: string | undefined, file: string): boolean {
  return Boolean(pack?.startsWith("@parley/tools/") && file.includes("packages/tools/src/"));
}

function renderTable(agent: LoadedAgent, rows: ToolListing[], cwd: string): string {
  const remote = agent.config.mcp?.length ?? 0;
  const head = `${relative(cwd, agent.file) || agent.file}: ${plural(agent.tools.length, "tool")}${
    remote ? `, ${plural(remote, "remote MCP server")}` : ""
  }`;
  if (rows.length === 0) return `${head}\n`;
  const cells = rows.map((r) => [
    r.name,
    r.source,
    r.approval === undefined
      ? "-"
      : typeof r.approval === "string"
        ? r.approval
        : `when ${(r.approval as { when?: string }).when ?? JSON.stringify(r.approval)}`,
    r.timeoutMs === undefined ? "-" : formatMs(r.timeoutMs),
    r.filler === false ? "off" : r.filler === undefined ? "-" : "on",
  ]);
  const header = ["TOOL", "FROM", "APPROVAL", "TIMEOUT", "FILLER"];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? "").length)));
  const line = (c: string[]) =>
    c
      .map((v, i) => v.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  return `${head}\n\n${[line(header), ...cells.map(line)].join("\n")}\n`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function firstSentence(text: string): string {
  const first = text.split("\n")[0] ?? "";
  return first.length > 120 ? `${first.slice(0, 117)}...` : first;
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

// Bridged MCP servers hold connections (child processes) that would keep the CLI alive.
async function closeAgent(_agent: LoadedAgent): Promise<void> {
  const { closeAllMcpBridges } = await import("@parley/tools/mcp");
  await closeAllMcpBridges();
}
