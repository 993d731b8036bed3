import type { AgentConfigInput } from "../schema/agent.ts";
import type { AnyToolDefinition } from "../tool/tool-pack.ts";

/** What an `.agent.ts` file exports: the agent file's fields, and tools that may also be `defineTool(...)` values. */
export type AgentDefinition = Omit<AgentConfigInput, "tools"> & {
  tools?: (NonNullable<AgentConfigInput["tools"]>[number] | AnyToolDefinition)[];
};

/**
 * Declares an agent in TypeScript, fully typed (not generic, so a misspelt key is a type error at any depth).
 * Returns its argument; the loader validates it like a YAML file.
 *
 * @example
 * export default defineAgent({
 *   name: "order-desk",
 *   voice: "cedar",
 *   instructions: "You take orders for {{shop}}.",
 *   variables: { shop: "Bluebird Bakery" },
 *   tools: [placeOrder, { use: "@parley/tools/clock" }],
 * });
 */
export function defineAgent(agent: AgentDefinition): AgentDefinition {
  return agent;
}
