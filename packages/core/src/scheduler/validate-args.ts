import { createRequire } from "node:module";
import type { Ajv, ErrorObject } from "ajv";
import { z } from "zod";
import { ParleyError } from "../errors/index.ts";
import type { JsonSchema } from "../tool/index.ts";
import { linearRegExp } from "../tool/linear-regexp.ts";
import { parseModelJson } from "./model-json.ts";

/** The outcome of checking one call's arguments. */
export type ArgsCheck =
  | { ok: true; value: Record<string, unknown> }
  | { ok: false; message: string };

/** Checks a call's raw `arguments` string against the tool's parameters. Built once per tool, run per call. */
export type ArgsValidator = (raw: string) => ArgsCheck;

// One Ajv for every tool of a process: compiled validators are cached per schema object. Formats (`email`,
// `date`, …) are known, and ajv never logs: core writes nothing to the console. Created on first use, so commands
// that never run a tool (`agent validate`, `--help`) do not pay for loading ajv (~35 ms).
let shared: Ajv | undefined;
function schedulerAjv(): Ajv {
  if (!shared) {
    const require = createRequire(import.meta.url);
    const { Ajv } = require("ajv") as typeof import("ajv");
    const addFormats = require("ajv-formats") as (ajv: Ajv) => Ajv;
    shared = addFormats(
      new Ajv({
        allErrors: true,
        strict: false,
        useDefaults: true,
        coerceTypes: false,
        logger: false,
        // Patterns are checked on model arguments: linear-time matching, so `^(a+)+$` cannot block the loop.
        code: { regExp: linearRegExp },
      }),
    );
  }
  return shared;
}

function isZod(value: unknown): value is z.ZodType {
  return typeof value === "object" && value !== null && "_zod" in value;
}

/** The JSON Schema the model sees and ajv checks: zod schemas are converted once here. */
export function parametersJsonSchema(parameters: unknown, tool: string): JsonSchema {
  if (isZod(parameters)) {
    try {
      return z.toJSONSchema(parameters, { target: "draft-7", io: "input" }) as JsonSchema;
    } catch (cause) {
      throw new ParleyError(
        "invalid_tool_parameters",
        `tool ${tool}: its zod parameters cannot be expressed as JSON Schema (${(cause as Error).message})`,
        { cause },
      );
    }
  }
  if (typeof parameters === "object" && parameters !== null && !Array.isArray(parameters)) {
    return parameters as JsonSchema;
  }
  throw new ParleyError(
    "invalid_tool_parameters",
    `tool ${tool}: parameters must be a zod schema or a JSON Schema object`,
  );
}

/**
 * Compiles the validator for a tool. JSON.parse, then ajv (defaults filled in), then — for zod parameters — the
 * zod parse, so `run` receives the typed output (refinements and transforms applied). Invalid arguments never reach `run`.
 *
 * Built once per parameters object (so once per loaded agent, whatever the number of its sessions) and kept only as
 * long as that object lives: the schema is dropped from ajv's own cache right after compiling, since that cache
 * holds every schema it has seen for the life of the process.
 *
 * @example
 * const check = compileArgsValidator("book", z.object({ nights: z.number().int() }));
 * check('{"nights": 2}') // { ok: true, value: { nights: 2 } }
 */
export function compileArgsValidator(tool: string, parameters: unknown): ArgsValidator {
  const key = typeof parameters === "object" && parameters !== null ? parameters : undefined;
  const cached = key && validators.get(key);
  if (cached) return cached;
  const built = buildArgsValidator(tool, parameters);
  if (key) validators.set(key, built);
  return built;
}

const validators = new WeakMap<object, ArgsValidator>();

function buildArgsValidator(tool: string, parameters: unknown): ArgsValidator {
  const { $schema: _ignored, ...schema } = parametersJsonSchema(parameters, tool);
  const ajv = schedulerAjv();
  let validate: ReturnType<Ajv["compile"]>;
  try {
    validate = ajv.compile(schema);
    ajv.removeSchema(schema);
  } catch (cause) {
    throw new ParleyError(
      "invalid_tool_parameters",
      `tool ${tool}: parameters are not a valid JSON Schema (${(cause as Error).message})`,
      { cause },
    );
  }
  const zod = isZod(parameters) ? parameters : undefined;
  return (raw) => {
    let value: unknown;
    try {
      value = raw.trim() === "" ? {} : parseModelJson(raw);
    } catch {
      return { ok: false, message: "arguments are not valid JSON" };
    }
    if (!validate(value)) return { ok: false, message: describeErrors(validate.errors ?? []) };
    if (zod) {
      const parsed = zod.safeParse(value);
      if (!parsed.success)
        return { ok: false, message: z.prettifyError(parsed.error).replace(/\n/g, "; ") };
      value = parsed.data;
    }
    return { ok: true, value: value as Record<string, unknown> };
  };
}

function describeErrors(errors: ErrorObject[]): string {
  return errors
    .map((e) => {
      const at = e.instancePath ? e.instancePath.slice(1).replace(/\//g, ".") : "arguments";
      const extra =
        e.keyword === "additionalProperties" ? ` (${String(e.params.additionalProperty)})` : "";
      return `${at} ${e.message ?? "is invalid"}${extra}`;
    })
    .join("; ");
}
