import { relative } from "node:path";
import { type LoadedAgent, redact } from "@parley/core";
import type { AgentInfo } from "./protocol.ts";

/**
 * What the console's agent panel shows of an agent: name, voice, model, tools (with whether a rule asks for
 * approval), and the session's variables with secret-looking values redacted.
 */
export function agentInfo(
  agent: LoadedAgent,
  variables: Record<string, string> = {},
  cwd = process.cwd(),
): AgentInfo {
  const policy = agent.config.approval;
  const merged: Record<string, string> = {};
  for (const [name, value] of Object.entries(agent.config.variables ?? {}))
    merged[name] = value === null ? "" : String(value);
  Object.assign(merged, variables);
  return {
    name: agent.name,
    file: relative(cwd, agent.file) || agent.file,
    model: agent.config.model,
    voice: typeof agent.config.voice === "object" ? agent.config.voice.name : agent.config.voice,
    tools: agent.tools.map((tool) => ({
      name: tool.name,
      description: tool.description ?? "",
      approval: approvalText(policy?.tools?.[tool.name] ?? tool.approval ?? policy?.default),
    })),
    variables: redact(merged) as Record<string, string>,
  };
}

/** `always`, `when args.nights > 7`, or null (never asks). */
function approvalText(rule: unknown): string | null {
  if (rule === "always") return "always";
  if (rule && typeof rule === "object" && "when" in rule) return `when ${String(rule.when)}`;
  return null;
}
