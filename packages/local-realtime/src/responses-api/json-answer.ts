import type { ModelItem } from "../models/types.ts";

type Json = Record<string, unknown>;

/** The last tool output in the input, parsed, when it is a JSON object. */
function lastOutput(items: readonly ModelItem[]): Json | undefined {
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i]?.item;
    if (item?.type !== "function_call_output") continue;
    try {
      const parsed = JSON.parse(String(item.output)) as unknown;
      return parsed && typeof parsed === "object" && !Array.isArray(parsed)
        ? (parsed as Json)
        : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * A simulated structured answer: an object shaped by the request's JSON Schema. A property takes the value of the
 * same-named field of the last tool output when its type fits, a string property otherwise takes what the model
 * would have said, and the rest get their type's plain value (first enum value, 0, false, [], {}). It invents
 * nothing a tool did not return.
 */
export function answerShaped(
  schema: Json | undefined,
  spoken: string,
  items: readonly ModelItem[],
): Json {
  const source = lastOutput(items) ?? {};
  const properties = (schema?.properties ?? {}) as Record<string, Json>;
  const out: Json = {};
  let spokenUsed = false;
  for (const [name, prop] of Object.entries(properties)) {
    const type = Array.isArray(prop.type) ? prop.type[0] : prop.type;
    const given = source[name];
    if (given !== undefined && fits(given, type)) out[name] = given;
    else if (Array.isArray(prop.enum) && prop.enum.length) out[name] = prop.enum[0];
    else if (type === "string") {
      out[name] = spokenUsed ? "" : spoken;
      spokenUsed = true;
    } else if (type === "number" || type === "integer") out[name] = 0;
    else if (type === "boolean") out[name] = false;
    else if (type === "array") out[name] = [];
    else if (type === "object") out[name] = answerShaped(prop, spoken, []);
    else out[name] = null;
  }
  return out;
}

function fits(value: unknown, type: unknown): boolean {
  if (type === undefined) return true;
  if (type === "integer") return Number.isInteger(value);
  if (type === "array") return Array.isArray(value);
  if (type === "object") return !!value && typeof value === "object" && !Array.isArray(value);
  if (type === "null") return value === null;
  return typeof value === type;
}
