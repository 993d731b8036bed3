import { type AnyToolDefinition, compileArgsValidator } from "@parley/core/pack";

/**
 * Why a bridged tool cannot be offered (its `inputSchema` does not compile as a JSON Schema), or undefined when it
 * can. Checked with the scheduler's own compiler, so a tool that passes here cannot make `startSession` throw.
 */
export function schemaProblem(tool: AnyToolDefinition): string | undefined {
  try {
    compileArgsValidator(tool.name, tool.parameters);
    return undefined;
  } catch (error) {
    return `tool ${tool.name} is left out: its inputSchema is not a valid JSON Schema (${(error as Error).message})`;
  }
}
