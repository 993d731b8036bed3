import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { ConformanceError } from "../errors.ts";
import { explain, type SchemaAccess } from "./explain.ts";
import { type Problem, problem } from "./format-errors.ts";
import { prepareSchemas } from "./prepare-schemas.ts";
import { eventSchemaNames, type JsonSchemaNode, loadSpec } from "./spec.ts";

export type Direction = "client" | "server";

export interface ValidateOptions {
  /**
   * Report fields the spec does not define (default true), as the real API rejects unknown parameters.
   * Pass false to check only the fields the spec knows.
   */
  strict?: boolean;
  /** Accept null for optional fields (default: true for client events, false otherwise). */
  nullableOptionals?: boolean;
}

const SPEC_ID = "https://parley.local/openapi-realtime.json";

/** One ajv instance per strictness; each event type's validator is compiled on first use. */
class SpecValidators implements SchemaAccess {
  private readonly ajv: Ajv2020;
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly schemas: Record<string, JsonSchemaNode>;

  constructor(strict: boolean, nullableOptionals: boolean) {
    // verbose: errors carry their schema, which `explain` needs to pick the meant branch of a union.
    this.ajv = new Ajv2020({
      strict: false,
      allErrors: true,
      validateFormats: true,
      verbose: true,
    });
    (addFormats as unknown as (ajv: Ajv2020) => void)(this.ajv);
    // OpenAPI's numeric formats carry no constraint that JSON Schema checks.
    for (const name of ["int64", "int32", "unixtime", "double", "float"])
      this.ajv.addFormat(name, { type: "number", validate: () => true });
    const spec = loadSpec();
    this.schemas = prepareSchemas(spec.components.schemas, {
      strict,
      baseId: SPEC_ID,
      nullableOptionals,
    });
    this.ajv.addSchema({ $id: SPEC_ID, components: { schemas: this.schemas } });
  }

  compile(schema: JsonSchemaNode): ValidateFunction {
    return this.ajv.compile(schema);
  }

  resolve(ref: string): JsonSchemaNode | undefined {
    const name = ref.startsWith(`${SPEC_ID}#/components/schemas/`)
      ? ref.split("/").pop()
      : undefined;
    return name ? this.schemas[name] : undefined;
  }

  forSchema(name: string): ValidateFunction {
    let fn = this.compiled.get(name);
    if (!fn) {
      fn = this.ajv.compile({ $ref: `${SPEC_ID}#/components/schemas/${name}` });
      this.compiled.set(name, fn);
    }
    return fn;
  }
}

const validators = new Map<string, SpecValidators>();
const typeNames: Record<Direction, Map<string, string> | undefined> = {
  client: undefined,
  server: undefined,
};

function schemaNameFor(direction: Direction, type: string): string | undefined {
  let map = typeNames[direction];
  if (!map) {
    map = eventSchemaNames(direction === "client" ? "RealtimeClientEvent" : "RealtimeServerEvent");
    typeNames[direction] = map;
  }
  return map.get(type);
}

/** Validates any value against a named schema of the spec (e.g. "RealtimeSessionCreateRequestGA"). */
export function validateAgainstSchema(
  schemaName: string,
  value: unknown,
  options: ValidateOptions = {},
): string[] {
  return problemsAgainstSchema(schemaName, value, options).map((p) => p.message);
}

/** Like `validateAgainstSchema`, with structured problems (path, kind, message). */
export function problemsAgainstSchema(
  schemaName: string,
  value: unknown,
  options: ValidateOptions = {},
): Problem[] {
  const strict = options.strict ?? true;
  const nullable = options.nullableOptionals ?? false;
  const key = `${strict}:${nullable}`;
  let set = validators.get(key);
  if (!set) {
    set = new SpecValidators(strict, nullable);
    validators.set(key, set);
  }
  const fn = set.forSchema(schemaName);
  if (fn(value)) return [];
  return explain((fn.errors ?? []) as ErrorObject[], value, set);
}

/**
 * Structured problems of an event of either direction (what `validateClientEvent` / `validateServerEvent` format).
 *
 * @example
 * const [first] = eventProblems("client", event); // { path: "session.voice", kind: "unknown_field", message: "…" }
 */
export function eventProblems(
  direction: Direction,
  event: unknown,
  options: ValidateOptions = {},
): Problem[] {
  if (event === null || typeof event !== "object" || Array.isArray(event))
    return [{ path: "", kind: "invalid_type", message: "the event must be a JSON object" }];
  const type = (event as { type?: unknown }).type;
  if (typeof type !== "string")
    return [problem("type", "missing_field", 'the event has no "type" string')];
  const name = schemaNameFor(direction, type);
  if (!name) {
    const known = [...(typeNames[direction]?.keys() ?? [])];
    const near = known.find((k) => k.replace(/[._]/g, "") === type.replace(/[._]/g, ""));
    return [
      {
        path: "type",
        kind: "invalid_value",
        message: `"${type}" is not a ${direction} event type of the Realtime API${near ? ` (did you mean "${near}"?)` : ""}`,
      },
    ];
  }
  return problemsAgainstSchema(name, event, {
    nullableOptionals: direction === "client",
    ...options,
  });
}

function validateEvent(direction: Direction, event: unknown, options: ValidateOptions): string[] {
  return eventProblems(direction, event, options).map((p) => p.message);
}

/**
 * Validates a client event (what a client sends) against the spec schema for its `type`,
 * e.g. a `session.update` against `RealtimeClientEventSessionUpdate`. Returns readable problems; empty means valid.
 *
 * @example
 * const problems = validateClientEvent({ type: "session.update", session: { type: "realtime", voice: "x" } });
 * // ['session: unknown field "voice"']
 */
export function validateClientEvent(event: unknown, options: ValidateOptions = {}): string[] {
  return validateEvent("client", event, options);
}

/**
 * Validates a server event (what the Realtime API sends) against the spec schema for its `type`.
 *
 * @example
 * expect(validateServerEvent(event)).toEqual([]);
 */
export function validateServerEvent(event: unknown, options: ValidateOptions = {}): string[] {
  return validateEvent("server", event, options);
}

function typeOf(event: unknown): string | undefined {
  const type = (event as { type?: unknown } | null)?.type;
  return typeof type === "string" ? type : undefined;
}

/**
 * Throws a `ConformanceError` (code `event_not_conformant`) listing every problem when the client event is not valid.
 *
 * @example
 * assertClientEvent(compileSession(agent));
 */
export function assertClientEvent(event: unknown, options: ValidateOptions = {}): void {
  const problems = validateClientEvent(event, options);
  if (problems.length) throw new ConformanceError("client", typeOf(event), problems);
}

/**
 * Throws a `ConformanceError` (code `event_not_conformant`) listing every problem when the server event is not valid.
 *
 * @example
 * socket.on("message", (data) => assertServerEvent(JSON.parse(String(data))));
 */
export function assertServerEvent(event: unknown, options: ValidateOptions = {}): void {
  const problems = validateServerEvent(event, options);
  if (problems.length) throw new ConformanceError("server", typeOf(event), problems);
}
