import type { ErrorObject } from "ajv";

/** "/session/tools/0/name" → "session.tools[0].name" */
export function dottedPath(pointer: string): string {
  let out = "";
  for (const raw of pointer.split("/").slice(1)) {
    const part = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    out += /^\d+$/.test(part) ? `[${part}]` : out ? `.${part}` : part;
  }
  return out;
}

export function valueAt(root: unknown, pointer: string): unknown {
  let node = root;
  for (const raw of pointer.split("/").slice(1)) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[raw.replace(/~1/g, "/").replace(/~0/g, "~")];
  }
  return node;
}

export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "nothing";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string")
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === "object") return "an object";
  return String(value);
}

/**
 * One violation. `path` is dotted ("session.audio.output.voice", "" for the event itself); `kind` says what
 * went wrong (the local server maps it to the API's error codes); `message` is the readable line.
 */
export interface Problem {
  path: string;
  kind: "unknown_field" | "missing_field" | "invalid_value" | "invalid_type" | "invalid";
  message: string;
  /** invalid_type: the JSON type the schema expects ("string", "integer", …). */
  expected?: string;
  /** invalid_value: the values the schema allows. */
  allowed?: unknown[];
  /** The value found at `path` (invalid_type, invalid_value). */
  actual?: unknown;
}

export function problem(
  path: string,
  kind: Problem["kind"],
  text: string,
  detail: Pick<Problem, "expected" | "allowed" | "actual"> = {},
): Problem {
  return { path, kind, message: `${path || "(event)"}: ${text}`, ...detail };
}

/** One ajv error as a Problem, e.g. `session.audio.input.format.rate: must be one of 24000 (got 16000)`. */
export function formatError(error: ErrorObject, root: unknown): Problem {
  const at = dottedPath(error.instancePath);
  const params = error.params as Record<string, unknown>;
  const got = () => describeValue(valueAt(root, error.instancePath));
  switch (error.keyword) {
    case "required":
      return problem(
        at ? `${at}.${String(params.missingProperty)}` : String(params.missingProperty),
        "missing_field",
        "missing required field",
      );
    case "unevaluatedProperties":
    case "additionalProperties": {
      const field = String(params.unevaluatedProperty ?? params.additionalProperty);
      return problem(
        at ? `${at}.${field}` : field,
        "unknown_field",
        "unknown field (the spec does not define it here)",
      );
    }
    case "enum":
      return problem(
        at,
        "invalid_value",
        `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")} (got ${got()})`,
        { allowed: params.allowedValues as unknown[], actual: valueAt(root, error.instancePath) },
      );
    case "type":
      return problem(at, "invalid_type", `must be ${String(params.type)} (got ${got()})`, {
        expected: String(params.type),
        actual: valueAt(root, error.instancePath),
      });
    case "anyOf":
      return problem(at, "invalid", "matches none of the allowed shapes");
    default:
      return problem(
        at,
        error.keyword === "format" ? "invalid_value" : "invalid",
        error.message ?? error.keyword,
      );
  }
}
