import { mcpTool } from "../compile/tools.ts";
import { ParleyError } from "../errors/index.ts";
import type { AgentConfig } from "../schema/agent.ts";
import { isBridgedMcp } from "../schema/mcp.ts";
import type { DelegateToolConfig } from "../schema/tools.ts";
import type { AnyToolDefinition } from "../tool/tool-pack.ts";
import { didYouMean } from "./did-you-mean.ts";
import { problemAt } from "./located.ts";
import type { Problem } from "./problem.ts";
import type { ResolvedTool } from "./resolve-all-tools.ts";

/** The arguments a delegate tool takes when its entry gives no `parameters`. */
export const DEFAULT_DELEGATE_PARAMETERS = {
  type: "object",
  properties: {
    question: {
      type: "string",
      description: "The question or task to hand over, with the details the caller gave",
    },
  },
  required: ["question"],
  additionalProperties: false,
} as const;

/**
 * A `delegate:` entry as a ToolDefinition: the scheduler sees a tool like any other (timeout, filler, approval,
 * interruption), and the runtime runs its text model. Outside a session `run` refuses: there is no model to ask.
 */
export function delegateTool(entry: DelegateToolConfig, file: string): AnyToolDefinition {
  const tool: AnyToolDefinition = {
    name: entry.name,
    description: entry.description,
    parameters: entry.parameters ?? structuredClone(DEFAULT_DELEGATE_PARAMETERS),
    delegate: entry.delegate,
    run: () => {
      throw new ParleyError(
        "delegate_outside_session",
        `${entry.name} delegates to ${entry.delegate.model}: it runs only inside a session`,
      );
    },
    origin: { kind: "inline", file },
  };
  for (const key of ["timeout", "filler", "approval", "onInterrupt", "examples"] as const) {
    if (entry[key] !== undefined) (tool as unknown as Record<string, unknown>)[key] = entry[key];
  }
  return tool;
}

/**
 * A delegate's `tools` name the agent's own tools (never another delegate: one level of delegation), and its
 * `mcp` the labels of remote MCP servers of the agent; a misspelt name would leave the text model without it.
 */
export function checkDelegates(
  config: AgentConfig,
  resolved: ResolvedTool[],
  raw: unknown,
  file: string,
): Problem[] {
  const problems: Problem[] = [];
  const byName = new Map(resolved.map((r) => [r.tool.name, r.tool]));
  const names = [...byName.keys()];
  const labels = (config.mcp ?? []).filter((m) => !isBridgedMcp(m)).map((m) => m.label);
  for (const [index, entry] of (config.tools ?? []).entries()) {
    if (!("delegate" in entry) || !entry.delegate) continue;
    const at = ["tools", index, "delegate"];
    for (const [i, name] of (entry.delegate.tools ?? []).entries()) {
      const tool = byName.get(name);
      if (tool?.delegate || name === entry.name) {
        problems.push(
          problemAt(
            raw,
            [...at, "tools", i],
            "delegate_nested",
            `${name} is a delegate tool itself`,
            file,
            {
              hint: "a text model may call the agent's ordinary tools, not another delegation",
            },
          ),
        );
      } else if (!tool) {
        const guess = didYouMean(name, names);
        problems.push(
          problemAt(
            raw,
            [...at, "tools", i],
            "unknown_tool",
            `the agent has no tool "${name}"`,
            file,
            {
              hint: guess ? `did you mean "${guess}"?` : `its tools: ${names.join(", ") || "none"}`,
            },
          ),
        );
      }
    }
    for (const [i, label] of (entry.delegate.mcp ?? []).entries()) {
      if (labels.includes(label)) continue;
      const guess = didYouMean(label, labels);
      problems.push(
        problemAt(
          raw,
          [...at, "mcp", i],
          "unknown_mcp",
          `the agent has no remote MCP server "${label}"`,
          file,
          {
            hint: guess
              ? `did you mean "${guess}"?`
              : "list it under mcp: with a url (a bridged server's tools go under tools:)",
          },
        ),
      );
    }
  }
  return problems;
}

/**
 * A delegate's `mcp:` labels as the MCP tools its text model gets (the compiled `type: "mcp"` entries of the agent's
 * remote servers: the Responses API takes the same shape).
 */
export function withDelegateMcp(
  tools: AnyToolDefinition[],
  config: AgentConfig,
): AnyToolDefinition[] {
  return tools.map((tool) => {
    const labels = tool.delegate?.mcp;
    if (!labels?.length) return tool;
    const servers = (config.mcp ?? []).filter((m) => !isBridgedMcp(m) && labels.includes(m.label));
    return { ...tool, delegateMcp: servers.map(mcpTool) };
  });
}

/** Tools only a delegation may call (`private: true`): the voice model's session leaves them out. */
export function privateToolNames(tools: readonly AnyToolDefinition[]): Set<string> {
  const out = new Set<string>();
  for (const tool of tools) {
    if (!tool.delegate?.private) continue;
    for (const name of tool.delegate.tools ?? []) out.add(name);
  }
  return out;
}
