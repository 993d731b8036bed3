/**
 * `response.create`'s `input` may name conversation items by reference, `{ type: "item_reference", id }` (the API
 * documents and accepts it; the spec's item union leaves it out, so the strict check would refuse it). These helpers
 * take references out before the spec check and check them on their own.
 */

type Json = Record<string, unknown>;

function referencesOf(event: Json): Json[] {
  const input = (event.response as { input?: unknown } | undefined)?.input;
  return Array.isArray(input)
    ? input.filter(
        (i): i is Json => !!i && typeof i === "object" && (i as Json).type === "item_reference",
      )
    : [];
}

/** The event without its item references (for the spec check); the same object when it has none. */
export function withoutReferences(event: unknown): unknown {
  const e = event as Json;
  if (e?.type !== "response.create" || referencesOf(e).length === 0) return event;
  const response = e.response as Json;
  return {
    ...e,
    response: {
      ...response,
      input: (response.input as Json[]).filter((i) => !(i && i.type === "item_reference")),
    },
  };
}

/**
 * The first bad reference as the API's error (unknown field, missing id, or an id not in the conversation), or
 * undefined when every reference resolves.
 */
export function referenceError(
  event: Json,
  exists: (id: string) => boolean,
): { code: string; message: string; param: string } | undefined {
  if (event.type !== "response.create") return undefined;
  const input = ((event.response as Json | undefined)?.input as Json[] | undefined) ?? [];
  for (const [i, item] of input.entries()) {
    if (item?.type !== "item_reference") continue;
    const at = `response.input[${i}]`;
    const extra = Object.keys(item).find((k) => k !== "type" && k !== "id");
    if (extra)
      return {
        code: "unknown_parameter",
        message: `Unknown parameter: '${at}.${extra}'.`,
        param: `${at}.${extra}`,
      };
    if (typeof item.id !== "string")
      return {
        code: "missing_required_parameter",
        message: `Missing required parameter: '${at}.id'.`,
        param: `${at}.id`,
      };
    if (!exists(item.id))
      return {
        code: "invalid_value",
        message: `Invalid value: '${item.id}'. No item with that id in the conversation.`,
        param: `${at}.id`,
      };
  }
  return undefined;
}
