import type { ScriptTurn } from "./scripted.ts";

/**
 * Query parameter a client adds to `/v1/realtime?…` to hand this connection a script. A Parley local-server-only
 * extension: honoured only by a server started with `scriptsFromUrl` (as `agent sim` is), and only ever sent by
 * `agent test --url` to a loopback address, so the OpenAI API never sees it.
 */
export const SCRIPT_PARAM = "parley_script";

/** A script as a query parameter value (base64url JSON: turns are plain data; string user inputs only). */
export function encodeScript(turns: readonly ScriptTurn[]): string {
  return Buffer.from(JSON.stringify(turns), "utf8").toString("base64url");
}

/** The turns a `parley_script` value carries; throws a message for the 400 reply when it is not a script. */
export function decodeScript(value: string): ScriptTurn[] {
  let turns: unknown;
  try {
    turns = JSON.parse(Buffer.from(value, "base64url").toString("utf8"));
  } catch {
    throw new Error(`${SCRIPT_PARAM} is not base64url JSON`);
  }
  if (
    !Array.isArray(turns) ||
    !turns.every(
      (t) =>
        typeof t === "object" &&
        t !== null &&
        Array.isArray((t as ScriptTurn).responses) &&
        (t as ScriptTurn).responses.every(Array.isArray) &&
        ((t as ScriptTurn).user === undefined || typeof (t as ScriptTurn).user === "string"),
    )
  )
    throw new Error(`${SCRIPT_PARAM} must be a list of {user?, responses: [[action…]…]} turns`);
  return turns as ScriptTurn[];
}
