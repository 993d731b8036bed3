import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { dirname, relative } from "node:path";
import {
  type AgentConfig,
  compileSession,
  createLoader,
  type LoadedAgent,
  redact,
  renderGreeting,
} from "@parley/core";

/** What `agent diff` compares of one version of an agent. */
export interface AgentView {
  name: string;
  file: string;
  /** The compiled `session.update`'s session (secrets redacted). */
  session: Record<string, unknown>;
  greeting: string | undefined;
  /** Per tool, what the runtime does with it (never sent to the model). */
  runtime: Record<string, Record<string, unknown>>;
  limits: AgentConfig["limits"];
  /** The agent's other files (bases, handlers, packs' files), by path from the agent file's folder → content hash. */
  files: Record<string, string>;
}

/**
 * Loads and compiles one version of an agent with a loader of its own (closed after), so two versions of the same
 * path never share a cache. Variables without a default compile as `{{name}}`: both versions get the same ones.
 */
export async function agentView(file: string, env: NodeJS.ProcessEnv): Promise<AgentView> {
  const loader = createLoader();
  try {
    const agent = await loader.load(file, { missingEnv: "warn", env });
    const variables = placeholders(agent);
    const update = compileSession(agent, { variables });
    const greeting = agent.config.greeting ? renderGreeting(agent, { variables }) : undefined;
    return {
      name: agent.name,
      file: agent.file,
      session: json(redact(update.session)) as unknown as Record<string, unknown>,
      greeting,
      runtime: Object.fromEntries(agent.tools.map((t) => [t.name, runtimeOf(t)])),
      limits: json(agent.config.limits),
      files: filesOf(agent),
    };
  } finally {
    await loader.close();
  }
}

function placeholders(agent: LoadedAgent): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(agent.config.variables ?? {}))
    if (value === null || value === undefined) out[name] = `{{${name}}}`;
  return out;
}

function runtimeOf(tool: LoadedAgent["tools"][number]): Record<string, unknown> {
  return json({
    approval: tool.approval,
    filler: tool.filler,
    timeout: tool.timeout,
    concurrency: tool.concurrency,
    onInterrupt: tool.onInterrupt,
    duplicate: tool.duplicate,
  }) as Record<string, unknown>;
}

function filesOf(agent: LoadedAgent): Record<string, string> {
  const base = dirname(agent.file);
  const out: Record<string, string> = {};
  for (const file of agent.files) {
    if (file === agent.file) continue;
    let hash = "missing";
    try {
      hash = createHash("sha256").update(readFileSync(file)).digest("hex");
    } catch {}
    out[relative(base, file)] = hash;
  }
  return out;
}

/** A plain JSON copy: functions (code conditions) and undefined fields dropped, so versions compare by value. */
function json<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}
