import type { JsonSchemaNode } from "./spec.ts";

/**
 * Adapts the spec's schemas for validation, on a copy:
 * - `oneOf` becomes `anyOf`: several unions in the spec overlap (response.create's `conversation` is
 *   `oneOf: [string, "auto" | "none"]`, so "none" matches both branches and a strict oneOf would reject it).
 *   The generated SDK types read them as plain unions too.
 * - with `nullableOptionals` (client events), an optional field may be null: the API documents null as
 *   "clear this field" in session.update (`turn_detection: null`, `noise_reduction: null`), which the schemas
 *   do not all spell out, and the official clients send it. And `id` is never required: the server assigns ids to
 *   items a client creates without one (the spec marks it required on MCP items; the Agents SDK omits it).
 * - `transcript` may be null (not yet transcribed), as the API sends it and the Agents SDK requires.
 * - OpenAPI 3.0's `nullable: true`, still used in places, becomes `anyOf: [schema, {type: "null"}]`.
 * - local `$ref`s become absolute (`baseId#/components/…`), so any sub-schema compiles on its own
 *   (used to re-check a value against the one union branch it was meant for).
 * - `discriminator` is dropped: the spec puts it on `anyOf` unions, which ajv's discriminator support refuses.
 * - with `strict`, every object schema that lists `properties` and says nothing about extra ones gets
 *   `unevaluatedProperties: false`, so an unknown or misplaced field (a GA typo such as `session.voice`)
 *   is reported the way the real API answers it ("Unknown parameter"), instead of being silently accepted.
 */
/** See prepareSchemas: null is accepted for these fields in both directions. */
const NULL_IN_PRACTICE = ["transcript"];

export function prepareSchemas(
  schemas: Record<string, JsonSchemaNode>,
  options: { strict: boolean; baseId: string; nullableOptionals?: boolean },
): Record<string, JsonSchemaNode> {
  // `names` is true for a `properties` map, whose keys are field names (a field may be called "description").
  const visit = (node: unknown, names = false): unknown => {
    if (Array.isArray(node)) return node.map((n) => visit(n));
    if (node === null || typeof node !== "object") return node;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      if (names) {
        out[key] = visit(value);
        continue;
      }
      if (key === "discriminator" || key === "x-oaiMeta" || key === "description") continue;
      if (key === "$ref" && typeof value === "string" && value.startsWith("#")) {
        out.$ref = `${options.baseId}${value}`;
        continue;
      }
      out[key === "oneOf" ? "anyOf" : key] = visit(value, key === "properties");
    }
    const isObjectSchema =
      out.type === "object" && typeof out.properties === "object" && out.properties !== null;
    if (options.strict && isObjectSchema && !("additionalProperties" in out))
      out.unevaluatedProperties = false;
    if (isObjectSchema) {
      // Fields the real API sends as null although the spec types them as plain strings, and that the official
      // clients require to be present (the Agents SDK rejects a user audio part without `transcript`).
      const props = out.properties as Record<string, unknown>;
      for (const name of NULL_IN_PRACTICE)
        if (props[name]) props[name] = { anyOf: [props[name], { type: "null" }] };
    }
    if (options.nullableOptionals && isObjectSchema) {
      // A client never has to name an item: the server assigns ids (the Agents SDK sends approval responses without one).
      if (Array.isArray(out.required) && out.required.includes("id"))
        out.required = out.required.filter((r) => r !== "id");
      const required = new Set((out.required as string[] | undefined) ?? []);
      const props = out.properties as Record<string, unknown>;
      for (const [name, schema] of Object.entries(props)) {
        if (!required.has(name)) props[name] = { anyOf: [schema, { type: "null" }] };
      }
    }
    if (out.nullable === true) {
      delete out.nullable;
      return { anyOf: [out, { type: "null" }] };
    }
    return out;
  };
  const result: Record<string, JsonSchemaNode> = {};
  for (const [name, schema] of Object.entries(schemas))
    result[name] = visit(schema) as JsonSchemaNode;
  return result;
}
