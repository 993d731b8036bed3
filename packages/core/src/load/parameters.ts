import { linearPatternError } from "../tool/linear-regexp.ts";
import { loaderAjv } from "./ajv.ts";
import { didYouMean } from "./did-you-mean.ts";
import { problemAt, valueAt } from "./located.ts";
import type { Problem } from "./problem.ts";

/** JSON Schema keywords the Realtime API accepts in function parameters (its structured-output subset). */
const KEYWORDS = new Set([
  "type",
  "properties",
  "required",
  "additionalProperties",
  "items",
  "enum",
  "const",
  "description",
  "title",
  "default",
  "anyOf",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "multipleOf",
  "minLength",
  "maxLength",
  "pattern",
  "format",
  "minItems",
  "maxItems",
  "$defs",
  "definitions",
  "$ref",
  "examples",
  "nullable",
]);
const TYPES = ["object", "string", "number", "integer", "boolean", "array", "null"];

/**
 * Checks a tool's `parameters`: valid JSON Schema (ajv's meta-schema), only keywords the Realtime API accepts,
 * and an object at the top. Problems point at the offending node inside the file.
 *
 * @example
 * checkParameters(raw, ["tools", 0, "parameters"], file) // [] when fine
 */
export function checkParameters(root: unknown, at: PropertyKey[], file: string): Problem[] {
  const schema = valueAt(root, at);
  const problems: Problem[] = [];
  const add = (
    path: PropertyKey[],
    code: string,
    message: string,
    hint?: string,
    onKey = false,
  ): void => {
    problems.push(
      problemAt(root, [...at, ...path], code, message, file, { ...(hint ? { hint } : {}), onKey }),
    );
  };
  if (!schema || typeof schema !== "object" || Array.isArray(schema)) return problems;
  if ((schema as Record<string, unknown>).type !== "object") {
    add(
      ["type"],
      "invalid_parameters",
      "parameters must be a JSON Schema with type: object at the top",
    );
  }
  walk(schema as Record<string, unknown>, [], add);
  if (problems.length > 0) return problems;
  const ajv = loaderAjv();
  if (!ajv.validateSchema(schema)) {
    for (const error of ajv.errors ?? []) {
      const path = error.instancePath
        .split("/")
        .slice(1)
        .map((p) => (/^\d+$/.test(p) ? Number(p) : p.replace(/~1/g, "/").replace(/~0/g, "~")));
      add(path, "invalid_parameters", `not valid JSON Schema: ${error.message ?? "invalid"}`);
    }
  }
  return problems;
}

type Add = (
  path: PropertyKey[],
  code: string,
  message: string,
  hint?: string,
  onKey?: boolean,
) => void;

function walk(node: Record<string, unknown>, path: PropertyKey[], add: Add): void {
  for (const [key, value] of Object.entries(node)) {
    if (!KEYWORDS.has(key)) {
      const guess = didYouMean(key, KEYWORDS);
      add(
        [...path, key],
        "invalid_parameters",
        `"${key}" is not a JSON Schema keyword the Realtime API accepts`,
        guess ? `did you mean "${guess}"?` : undefined,
        true,
      );
      continue;
    }
    if (key === "type") {
      for (const t of Array.isArray(value) ? value : [value]) {
        if (typeof t !== "string" || !TYPES.includes(t)) {
          const guess = typeof t === "string" ? didYouMean(t, TYPES) : undefined;
          add(
            [...path, key],
            "invalid_parameters",
            `${JSON.stringify(t)} is not a JSON Schema type; expected one of ${TYPES.join(", ")}`,
            guess ? `did you mean "${guess}"?` : undefined,
          );
        }
      }
    }
    if (key === "pattern" && typeof value === "string") {
      // Patterns check model arguments: only what RE2 can match in linear time (no lookaround, no backreferences).
      const why = linearPatternError(value);
      if (why)
        add(
          [...path, key],
          "invalid_parameters",
          `pattern ${JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)} cannot be matched in linear time (${why})`,
          "rewrite it without lookahead, lookbehind or backreferences",
        );
    }
    if (
      (key === "properties" || key === "$defs" || key === "definitions") &&
      value &&
      typeof value === "object"
    ) {
      for (const [name, sub] of Object.entries(value)) {
        if (sub && typeof sub === "object" && !Array.isArray(sub))
          walk(sub as Record<string, unknown>, [...path, key, name], add);
      }
    }
    if (key === "items" && value && typeof value === "object" && !Array.isArray(value))
      walk(value as Record<string, unknown>, [...path, key], add);
    if (key === "anyOf" && Array.isArray(value)) {
      value.forEach((sub, i) => {
        if (sub && typeof sub === "object")
          walk(sub as Record<string, unknown>, [...path, key, i], add);
      });
    }
    if (
      key === "required" &&
      Array.isArray(value) &&
      node.properties &&
      typeof node.properties === "object"
    ) {
      value.forEach((name, i) => {
        if (typeof name === "string" && !(name in (node.properties as object))) {
          add(
            [...path, key, i],
            "invalid_parameters",
            `"${name}" is required but not among the properties`,
          );
        }
      });
    }
  }
}
