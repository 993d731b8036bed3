import type { ErrorObject, ValidateFunction } from "ajv";
import {
  describeValue,
  dottedPath,
  formatError,
  type Problem,
  problem,
  valueAt,
} from "./format-errors.ts";
import type { JsonSchemaNode } from "./spec.ts";

/** What `explain` needs from the validator: compile a (sub-)schema and resolve a `$ref` to its schema. */
export interface SchemaAccess {
  compile(schema: JsonSchemaNode): ValidateFunction;
  resolve(ref: string): JsonSchemaNode | undefined;
}

function enumOf(schema: JsonSchemaNode, field: string): unknown[] | undefined {
  const prop = (
    schema.properties as Record<string, { enum?: unknown[]; const?: unknown }> | undefined
  )?.[field];
  return prop?.enum ?? (prop?.const !== undefined ? [prop.const] : undefined);
}

function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (Number.isInteger(value)) return "integer";
  return typeof value;
}

/** Could `value` be meant for this branch? Decided by its JSON type and its `type` / `role` discriminants. */
function plausible(branch: JsonSchemaNode, value: unknown): boolean {
  const t = branch.type;
  if (typeof t === "string") {
    const actual = jsonType(value);
    if (!(t === actual || (t === "number" && actual === "integer"))) return false;
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) return true;
  for (const field of ["type", "role"]) {
    const allowed = enumOf(branch, field);
    const actual = (value as Record<string, unknown>)[field];
    if (allowed && actual !== undefined && !allowed.includes(actual)) return false;
  }
  return true;
}

/**
 * Readable problems for a failed validation. ajv reports the failures of every branch of a union (a session
 * is either a realtime or a transcription session; an item is one of nine kinds); this finds the branch the
 * value was meant for — by JSON type and its `type`/`role` field — and reports only that branch's failures,
 * re-validating the value against it. When no branch fits, it says which discriminant values are allowed.
 */
export function explain(
  errors: ErrorObject[],
  root: unknown,
  access: SchemaAccess,
  base = "",
): Problem[] {
  const unions = errors
    .filter((e) => e.keyword === "anyOf" && Array.isArray(e.schema))
    .sort((a, b) => a.instancePath.length - b.instancePath.length);
  const lines: Problem[] = [];
  const handled: string[] = [];
  const under = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}/`);
  for (const union of unions) {
    const at = union.instancePath;
    if (handled.some((h) => under(at, h))) continue;
    const value = valueAt(root, at);
    const branches = (union.schema as JsonSchemaNode[]).map((b) =>
      typeof b.$ref === "string" ? (access.resolve(b.$ref) ?? b) : b,
    );
    const fits = branches.filter((b) => plausible(b, value));
    if (fits.length === 1) {
      const fn = access.compile(fits[0] as JsonSchemaNode);
      if (fn(value)) continue;
      handled.push(at);
      lines.push(...explain((fn.errors ?? []) as ErrorObject[], value, access, base + at));
    } else if (
      fits.length === 0 &&
      value !== null &&
      typeof value === "object" &&
      !Array.isArray(value)
    ) {
      const field = branches.some((b) => enumOf(b, "type")) ? "type" : "role";
      const allowed = [...new Set(branches.flatMap((b) => enumOf(b, field) ?? []))];
      if (!allowed.length) continue;
      handled.push(at);
      const actual = (value as Record<string, unknown>)[field];
      lines.push(
        problem(
          dottedPath(`${base}${at}/${field}`),
          "invalid_value",
          `must be one of ${allowed.map((v) => JSON.stringify(v)).join(", ")} (got ${describeValue(actual)})`,
        ),
      );
    }
  }
  const rest = errors.filter((e) => !handled.some((h) => under(e.instancePath, h)));
  // A union's own summary adds nothing when a more precise error below it is reported.
  const precise = rest.filter(
    (e) =>
      !(
        e.keyword === "anyOf" &&
        (lines.length ||
          rest.some(
            (o) => o !== e && o.keyword !== "anyOf" && under(o.instancePath, e.instancePath),
          ))
      ),
  );
  for (const e of precise)
    lines.push(formatError({ ...e, instancePath: base + e.instancePath }, wrap(root, base)));
  const seen = new Set<string>();
  return lines.filter((p) => !seen.has(p.message) && seen.add(p.message));
}

// formatError reads values by absolute path; give it a root in which `base` leads to `value`.
function wrap(value: unknown, base: string): unknown {
  const parts = base.split("/").slice(1).reverse();
  let out = value;
  for (const part of parts)
    out = /^\d+$/.test(part) ? Object.assign([], { [Number(part)]: out }) : { [part]: out };
  return out;
}
