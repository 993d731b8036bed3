import { relative } from "node:path";
import {
  type AnyToolDefinition,
  DEFAULT_TOOL_TIMEOUT_MS,
  type LoadedAgent,
  parseDuration,
} from "@parley/core";
import type { Command } from "commander";
import { envSecretValues } from "../agent-file/env-secrets.ts";
import { toolCountText } from "../agent-file/tool-count.ts";
import { examples } from "./help.ts";
import type { RegisterCommand } from "./index.ts";

/** One resolved tool as `agent tools --json` prints it. */
export interface ToolListing {
  name: string;
  description: string;
  /**
   * "pack" | "inline" | "mcp" (bridged local server) | "remote-mcp" (called by the Realtime API itself) |
   * "handoff" (`transfer_to_<agent>`, compiled from `handoffs:`).
   */
  kind: "inline" | "pack" | "mcp" | "remote-mcp" | "handoff";
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
    .addHelpText(
      "after",
      examples(
        [
          "agent tools agents/support/support.agent.md",
          "the table: packs, handlers, MCP, handoffs",
        ],
        ["agent tools concierge.agent.yaml --json", "the same as JSON, for scripts"],
      ),
    )
    .action(async (file: string, opts: { json?: boolean }) => {
      process.exitCode = await runTools(file, opts, {
        stdout: process.stdout,
        stderr: process.stderr,
        ...(process.stdout.columns ? { columns: process.stdout.columns } : {}),
      });
    });
};

interface Io {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  /** Terminal width the table must fit (default 100 when not a terminal). */
  columns?: number;
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
      opts.json
        ? `${JSON.stringify(listing, null, 2)}\n`
        : renderTable(agent, listing, cwd, io.columns ?? 100),
    );
    return 0;
  } finally {
    await closeAgent(agent);
  }
}

/** The rows of `agent tools`: the agent's function tools, then the remote MCP servers the API will call. */
export function listTools(agent: LoadedAgent, cwd: string): ToolListing[] {
  const rows = agent.tools.map((tool) => listing(tool, cwd));
  for (const handoff of agent.handoffs) {
    rows.push({
      name: handoff.toolName,
      description: firstSentence(handoff.description),
      kind: "handoff",
      source: `handoff to ${handoff.name} (${relative(cwd, handoff.file) || handoff.file})`,
      file: relative(cwd, handoff.file) || handoff.file,
      examples: 0,
    });
  }
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

/**
 * The table, fitted to `columns`: every cell says the value that applies (an agent-wide default is shown as such),
 * "n/a" where a column does not apply (the API calls remote MCP tools itself; a handoff is not a call that runs).
 */
function renderTable(
  agent: LoadedAgent,
  rows: ToolListing[],
  cwd: string,
  columns: number,
): string {
  const head = `${relative(cwd, agent.file) || agent.file}: ${toolCountText(agent)}`;
  if (rows.length === 0) return `${head}\n`;
  const agentApproval = approvalText(agent.config.approval?.default ?? "never", "never");
  const agentFiller = agent.config.filler;
  const cells = rows.map((r) => {
    const runs = r.kind !== "remote-mcp" && r.kind !== "handoff";
    return [
      r.name,
      r.source,
      r.kind === "handoff" ? "n/a" : approvalText(r.approval, agentApproval),
      runs ? formatMs(r.timeoutMs ?? DEFAULT_TOOL_TIMEOUT_MS) : "n/a",
      runs
        ? r.filler === false || (r.filler === undefined && agentFiller === false)
          ? "off"
          : "on"
        : "n/a",
    ];
  });
  const header = ["TOOL", "FROM", "APPROVAL", "TIMEOUT", "FILLER"];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? "").length)));
  // Too wide: narrow the widest of TOOL, FROM and APPROVAL (cut with "…"), one column at a time, to 14 at least.
  const total = () => widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1);
  while (total() > columns - 1) {
    const widest = [0, 1, 2].reduce((a, b) => ((widths[b] ?? 0) > (widths[a] ?? 0) ? b : a));
    if ((widths[widest] ?? 0) <= 14) break;
    widths[widest] = (widths[widest] ?? 0) - 1;
  }
  const fit = (v: string, w: number) => (v.length > w ? `${v.slice(0, w - 1)}…` : v.padEnd(w));
  const line = (c: string[]) =>
    c
      .map((v, i) => fit(v, widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  return `${head}\n\n${[line(header), ...cells.map(line)].join("\n")}\n`;
}

/** `never`, `always`, `if args.amount > 100`, `always: create_ticket; never: …` (remote MCP), `never (agent)`. */
function approvalText(approval: unknown, agentDefault: string): string {
  if (approval === undefined) return `${agentDefault} (agent)`;
  if (typeof approval === "string") return approval;
  const rule = approval as { when?: string; always?: string[]; never?: string[] };
  if (rule.when) return `if ${rule.when}`;
  const parts = [
    rule.always?.length ? `always: ${rule.always.join(", ")}` : "",
    rule.never?.length ? `never: ${rule.never.join(", ")}` : "",
  ].filter(Boolean);
  return parts.length ? parts.join("; ") : JSON.stringify(approval);
}

function firstSentence(text: string): string {
  const first = text.split("\n")[0] ?? "";
  return first.length > 120 ? `${first.slice(0, 117)}...` : first;
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

// Bridged MCP servers hold connections (child processes) that would keep the CLI alive: the agent owns them.
async function closeAgent(agent: LoadedAgent): Promise<void> {
  await agent.close?.();
}
