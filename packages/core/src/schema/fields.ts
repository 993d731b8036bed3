import type { z } from "zod";
import { agentSchema } from "./agent.ts";

function def(schema: unknown): Record<string, unknown> {
  return ((schema as { _zod?: { def?: Record<string, unknown> } })?._zod?.def ?? {}) as Record<
    string,
    unknown
  >;
}

/**
 * Every field path of the agent file, as the docs name them: `audio.input.turnDetection.silenceDuration`,
 * `tools[].handler`, `approval.tools.<tool>`. The docs test checks docs/agent-file.md covers exactly these.
 */
export function agentFieldPaths(schema: z.ZodType = agentSchema): string[] {
  const out = new Set<string>();
  const visit = (node: unknown, path: string, seen: Set<unknown>): void => {
    if (seen.has(node)) return;
    const d = def(node);
    const next = new Set(seen).add(node);
    switch (d.type) {
      case "optional":
      case "nullable":
      case "default":
      case "prefault":
      case "readonly":
        visit(d.innerType, path, next);
        return;
      case "pipe":
        visit(d.in, path, next);
        return;
      case "union":
        for (const option of d.options as unknown[]) visit(option, path, next);
        return;
      case "array":
        visit(d.element, `${path}[]`, next);
        return;
      case "record": {
        const value = def(d.valueType);
        if (["object", "union", "optional"].includes(String(value.type)))
          visit(d.valueType, `${path}.<${keyName(path)}>`, next);
        return;
      }
      case "object":
        for (const [key, inner] of Object.entries(d.shape as Record<string, unknown>)) {
          const child = path ? `${path}.${key}` : key;
          out.add(child);
          visit(inner, child, next);
        }
        return;
      default:
    }
  };
  visit(schema, "", new Set());
  return [...out].sort();
}

function keyName(path: string): string {
  if (path.endsWith("overrides") || path.endsWith("approval.tools")) return "tool";
  if (path.endsWith("lines")) return "language";
  return "key";
}
