import { z } from "zod";
import { agentSchema } from "./agent.ts";

/**
 * The editor JSON Schema of agent files (the input side: durations as strings, defaults optional).
 * Committed at packages/core/schema/agent.schema.json; a test keeps the two equal.
 *
 * @example
 * JSON.stringify(agentJsonSchema(), null, 2)
 */
export function agentJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(agentSchema, { io: "input", target: "draft-2020-12" }) as Record<
    string,
    unknown
  >;
  return {
    $schema: schema.$schema,
    $id: "https://parley.dev/schema/agent.schema.json",
    title: "Parley agent file",
    description: "A voice agent on the OpenAI Realtime API (Parley agent file format v1).",
    ...schema,
  };
}
