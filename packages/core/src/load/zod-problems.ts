import type { z } from "zod";
import { redactString } from "../log/redact.ts";
import { didYouMean } from "./did-you-mean.ts";
import { problemAt, valueAt } from "./located.ts";
import type { Problem } from "./problem.ts";

type Issue = z.core.$ZodIssue;
type Path = PropertyKey[];

/**
 * Turns zod issues into located, plain-language problems. Union failures are narrowed to the branch the author
 * most plausibly meant; unknown keys and enum values get a did-you-mean.
 */
export function zodProblems(
  issues: readonly Issue[],
  raw: unknown,
  schema: z.ZodType,
  file: string,
): Problem[] {
  const out: Problem[] = [];
  for (const issue of issues) collect(issue, [], raw, schema, file, out);
  return out;
}

function collect(
  issue: Issue,
  prefix: Path,
  raw: unknown,
  schema: z.ZodType,
  file: string,
  out: Problem[],
): void {
  const path = [...prefix, ...issue.path];
  if (issue.code === "invalid_union" && issue.errors.length > 0) {
    const value = valueAt(raw, path);
    const branch = pickBranch(issue.errors, value);
    for (const inner of branch) collect(inner, path, raw, schema, file, out);
    return;
  }
  const make = (code: string, message: string, at: Path, hint?: string, onKey = false): void => {
    out.push(problemAt(raw, at, code, message, file, { ...(hint ? { hint } : {}), onKey }));
  };
  const value = valueAt(raw, path);
  switch (issue.code) {
    case "invalid_union": {
      // A discriminated union whose `type:` matches no branch: an enum problem on the discriminator.
      const allowed = [...issue.message.matchAll(/'([^']+)'/g)].map((m) => m[1] as string);
      const guess = typeof value === "string" ? didYouMean(value, allowed) : undefined;
      if (allowed.length) {
        make(
          "invalid_value",
          `${show(value)} is not allowed here; expected one of ${allowed.join(", ")}`,
          path,
          guess ? `did you mean "${guess}"?` : undefined,
        );
      } else make("invalid_value", issue.message, path);
      return;
    }
    case "invalid_key": {
      const inner = issue.issues[0]?.message ?? "invalid key";
      make("invalid_key", `key ${show(path[path.length - 1])}: ${inner}`, path, undefined, true);
      return;
    }
    case "unrecognized_keys": {
      const known = knownKeys(schema, path, raw);
      for (const key of issue.keys) {
        const guess = didYouMean(key, known);
        make(
          "unknown_key",
          `unknown key "${key}"`,
          [...path, key],
          guess
            ? `did you mean "${guess}"?`
            : known.length
              ? `allowed here: ${known.join(", ")}`
              : undefined,
          true,
        );
      }
      return;
    }
    case "invalid_value": {
      const allowed = issue.values.map((v) => String(v));
      const guess = typeof value === "string" ? didYouMean(value, allowed) : undefined;
      const label = allowed.length === 1 ? `"${allowed[0]}"` : `one of ${allowed.join(", ")}`;
      make(
        "invalid_value",
        `${show(value)} is not allowed here; expected ${label}`,
        path,
        guess ? `did you mean "${guess}"?` : undefined,
      );
      return;
    }
    case "invalid_type": {
      if (value === undefined) {
        const key = path[path.length - 1];
        make("required", `"${String(key)}" is required`, path.slice(0, -1));
        return;
      }
      // The classic YAML slip: "a: b: c" or "Note: text" unquoted reads as a mapping.
      const colon =
        issue.expected === "string" &&
        value !== null &&
        typeof value === "object" &&
        !Array.isArray(value);
      make(
        "invalid_type",
        `expected ${article(issue.expected)}, got ${describe(value)}`,
        path,
        colon
          ? 'a ": " inside a value starts a mapping in YAML; put the text in quotes'
          : undefined,
      );
      return;
    }
    case "too_small":
      if (issue.origin === "string" && Number(issue.minimum) === 1) {
        make("too_small", "must not be empty", path);
      } else if (issue.origin === "array") {
        make("too_small", `needs at least ${String(issue.minimum)} item(s)`, path);
      } else {
        const bound = issue.inclusive === false ? "more than" : "at least";
        make("too_small", `must be ${bound} ${String(issue.minimum)}`, path);
      }
      return;
    case "too_big":
      if (issue.origin === "string" || issue.origin === "array") {
        make("too_big", issue.message, path);
      } else {
        const bound = issue.inclusive === false ? "less than" : "at most";
        make("too_big", `must be ${bound} ${String(issue.maximum)}`, path);
      }
      return;
    case "invalid_format":
      make("invalid_format", `${show(value)}: ${issue.message}`, path);
      return;
    default:
      make(issue.code, issue.message, path);
  }
}

/** Scores each union branch by how badly it fits: wrong type at the top is worst, unknown keys next. */
function pickBranch(branches: Issue[][], value: unknown): Issue[] {
  let best = branches[0] as Issue[];
  let bestScore = Number.POSITIVE_INFINITY;
  for (const branch of branches) {
    let score = 0;
    for (const issue of branch) {
      const root = issue.path.length === 0;
      // A key the branch forbids outright (z.never()) says the entry belongs to another branch.
      if (issue.code === "invalid_type" && issue.expected === "never") score += 1000;
      else if (root && issue.code === "invalid_type") score += 1000;
      else if (
        root &&
        issue.code === "invalid_value" &&
        typeof value === "object" &&
        value !== null
      )
        score += 1000;
      else if (root && issue.code === "unrecognized_keys") score += 10 * issue.keys.length;
      else if (root) score += 100;
      else score += 1;
    }
    if (score < bestScore) {
      bestScore = score;
      best = branch;
    }
  }
  return best;
}

/** Keys the schema allows at `path` (all branches of unions), for did-you-mean. */
function knownKeys(schema: z.ZodType, path: Path, raw: unknown): string[] {
  let candidates: unknown[] = [schema];
  for (const key of path) {
    candidates = candidates.flatMap((s) => unwrap(s)).flatMap((s) => child(s, key));
  }
  const keys = new Set<string>();
  for (const s of candidates.flatMap((c) => unwrap(c))) {
    const shape = defOf(s).shape as Record<string, unknown> | undefined;
    if (shape) for (const k of Object.keys(shape)) keys.add(k);
  }
  void raw;
  return [...keys];
}

function defOf(schema: unknown): Record<string, unknown> {
  return ((schema as { _zod?: { def?: Record<string, unknown> } })?._zod?.def ?? {}) as Record<
    string,
    unknown
  >;
}

function unwrap(schema: unknown): unknown[] {
  const def = defOf(schema);
  switch (def.type) {
    case "optional":
    case "nullable":
    case "default":
    case "prefault":
    case "readonly":
      return unwrap(def.innerType);
    case "pipe":
      return unwrap(def.in);
    case "union":
      return (def.options as unknown[]).flatMap(unwrap);
    default:
      return [schema];
  }
}

function child(schema: unknown, key: PropertyKey): unknown[] {
  const def = defOf(schema);
  if (def.type === "object") {
    const shape = def.shape as Record<string, unknown>;
    return typeof key === "string" && shape[key] ? [shape[key]] : [];
  }
  if (def.type === "array") return [def.element];
  if (def.type === "record") return [def.valueType];
  return [];
}

// Values may come from ${env:…}: a key that lands in the wrong field must not be echoed in the error.
function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(redactString(value));
  if (value === null || typeof value !== "object") return String(value);
  return Array.isArray(value) ? "a list" : "a mapping";
}

function describe(value: unknown): string {
  if (value === null) return "null (an empty value)";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return `the text ${JSON.stringify(redactString(value))}`;
  return `${typeof value === "number" ? "the number" : "the boolean"} ${String(value)}`;
}

function article(expected: string): string {
  const words: Record<string, string> = {
    object: "a mapping",
    array: "a list",
    string: "text",
    number: "a number",
    int: "a whole number",
    boolean: "true or false",
  };
  return words[expected] ?? expected;
}
