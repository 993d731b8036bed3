import { createRequire } from "node:module";

/** The spec copy kept in the repository (spec/openapi-realtime.json), loaded once. */
export interface OpenApiSpec {
  openapi: string;
  components: { schemas: Record<string, JsonSchemaNode> };
}
export type JsonSchemaNode = Record<string, unknown>;

let cached: OpenApiSpec | undefined;

export function loadSpec(): OpenApiSpec {
  // By package name (a self-reference), so the path holds from src/ and from the bundled dist/ alike.
  cached ??= createRequire(import.meta.url)(
    "@parley/local-realtime/spec/openapi-realtime.json",
  ) as OpenApiSpec;
  return cached;
}

/** Maps each event `type` (e.g. "session.update") to its schema name, read from a union such as RealtimeClientEvent. */
export function eventSchemaNames(
  union: "RealtimeClientEvent" | "RealtimeServerEvent",
): Map<string, string> {
  const schemas = loadSpec().components.schemas;
  const branches = (schemas[union]?.anyOf ?? schemas[union]?.oneOf) as Array<{ $ref: string }>;
  const names = new Map<string, string>();
  for (const branch of branches) {
    const name = branch.$ref.split("/").pop() as string;
    const typeSchema = (
      schemas[name]?.properties as Record<string, { enum?: string[] }> | undefined
    )?.type;
    for (const type of typeSchema?.enum ?? []) names.set(type, name);
  }
  return names;
}
