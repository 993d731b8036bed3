import { HttpToolError } from "./errors.ts";

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;
/** Encoded dots, slashes and backslashes: a server may decode them into `../` after our check. */
const ENCODED_TRAVERSAL = /%2e|%2f|%5c/i;

/**
 * The URL a call asks for. With a `baseUrl`, a path (`/orders/42`, `orders/42`) resolves under it and must stay
 * there: `../../admin`, `//evil.example`, `%2e%2e/` are refused rather than resolved out of the base. A full URL
 * (with a scheme) is taken as it is; the host allowlist still decides whether it may be called.
 */
export function resolveTarget(raw: string, baseUrl: string | undefined): URL {
  const invalid = () =>
    new HttpToolError(
      "invalid_url",
      `"${raw.slice(0, 200)}" is not a URL${baseUrl ? ` or a path under ${baseUrl}` : ""}`,
    );
  if (!baseUrl || SCHEME.test(raw)) {
    try {
      return new URL(raw);
    } catch {
      throw invalid();
    }
  }
  const base = new URL(baseUrl.endsWith("/") ? baseUrl : `${baseUrl}/`);
  let url: URL;
  try {
    url = new URL(raw.replace(/^\/(?!\/)/, ""), base);
  } catch {
    throw invalid();
  }
  if (
    url.origin !== base.origin ||
    !url.pathname.startsWith(base.pathname) ||
    ENCODED_TRAVERSAL.test(url.pathname) ||
    raw.includes("\\")
  ) {
    throw new HttpToolError(
      "path_outside_base",
      `"${raw.slice(0, 200)}" leaves ${baseUrl}; paths must stay under it`,
    );
  }
  return url;
}
