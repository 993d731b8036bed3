/**
 * Headers that may follow a redirect to another origin. An allowlist, not a denylist: a credential can hide under
 * any name (`x-jwt`, `x-client-credential`, `x-tenant-signature`), and only these are known to carry none.
 */
const CROSS_ORIGIN_SAFE = new Set([
  "accept",
  "accept-language",
  "content-language",
  "content-type",
  "user-agent",
]);

export interface Hop {
  method: string;
  body: string | undefined;
  headers: Record<string, string>;
}

/**
 * The request to send after a redirect, as browsers and fetch do it: 303 becomes a GET, and so does a 301 or 302
 * after a POST (the body is dropped with its content headers); 307 and 308 repeat the request as it was. Headers
 * cross to another origin only when they are in the safe list.
 *
 * @example
 * nextHop(303, { method: "POST", body: "{}", headers }, from, to) // { method: "GET", body: undefined, headers: … }
 */
export function nextHop(status: number, hop: Hop, from: URL, to: URL): Hop {
  const toGet =
    status === 303
      ? hop.method !== "GET"
      : (status === 301 || status === 302) && hop.method === "POST";
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(hop.headers)) {
    const lower = name.toLowerCase();
    if (toGet && lower.startsWith("content-")) continue;
    if (to.origin !== from.origin && !CROSS_ORIGIN_SAFE.has(lower)) continue;
    headers[name] = value;
  }
  return toGet
    ? { method: "GET", body: undefined, headers }
    : { method: hop.method, body: hop.body, headers };
}
