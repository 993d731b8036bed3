import { defineTool, redact, type ToolContext } from "@parley/core/pack";
import { z } from "zod";
import type { HostAllowlist } from "./allowlist.ts";
import { HttpToolError } from "./errors.ts";
import { readLimited } from "./read-limited.ts";
import { nextHop } from "./redirect.ts";
import { resolveTarget } from "./target.ts";

export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export interface HttpRequestSettings {
  allow: HostAllowlist;
  /** Relative URLs in calls resolve against it. */
  baseUrl?: string;
  /** Sent with every request (auth lives here, from `${env:…}`); never logged in clear. */
  headers: Record<string, string>;
  methods: HttpMethod[];
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
}

// Header names whose values are credentials even when core's generic redaction does not know the name.
const SECRET_HEADER = /auth|token|key|secret|cookie|session|signature|password/i;
const SECRET_QUERY =
  /^(api[-_]?key|key|token|access[-_]?token|secret|signature|sig|password|auth)$/i;

/** Headers as they may be logged: credential values replaced by `[redacted]`. */
export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers))
    out[name] = SECRET_HEADER.test(name) ? "[redacted]" : value;
  return redact(out);
}

/** A URL as it may be logged: credential-looking query values and userinfo removed. */
export function redactUrl(url: URL): string {
  const copy = new URL(url);
  if (copy.username || copy.password) {
    copy.username = "[redacted]";
    copy.password = "";
  }
  for (const key of [...copy.searchParams.keys()]) {
    if (SECRET_QUERY.test(key)) copy.searchParams.set(key, "[redacted]");
  }
  return copy.toString().replaceAll("%5Bredacted%5D", "[redacted]");
}

/** The `http_request` tool bound to the agent's allowlist and limits. */
export function createHttpRequestTool(settings: HttpRequestSettings) {
  const example = settings.baseUrl ?? "https://api.example.com";
  return defineTool({
    name: "http_request",
    description: `Calls a JSON HTTP API and returns its status and JSON body. Allowed hosts: ${settings.allow}.${
      settings.baseUrl ? ` Paths are relative to ${settings.baseUrl}.` : ""
    } Allowed methods: ${settings.methods.join(", ")}.`,
    parameters: z.object({
      method: z
        .enum(settings.methods as [HttpMethod, ...HttpMethod[]])
        .optional()
        .describe("Default GET"),
      url: z
        .string()
        .min(1)
        .describe(settings.baseUrl ? "Path (/orders/42) or full URL" : "Full URL"),
      query: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
      body: z.record(z.string(), z.unknown()).optional().describe("JSON body for POST, PUT, PATCH"),
    }),
    // Writes change the world: a person confirms them unless the agent file says otherwise.
    approval: { when: 'args.method in ["POST", "PUT", "PATCH", "DELETE"]' },
    timeout: settings.timeoutMs + 1000,
    examples: [
      {
        say: "check the status of order 42",
        args: { url: settings.baseUrl ? "/orders/42" : `${example}/orders/42` },
      },
      {
        say: "what's the weather in Paris",
        args: {
          url: settings.baseUrl ? "/weather" : `${example}/weather`,
          query: { city: "Paris" },
        },
      },
    ],
    async run(args, ctx) {
      return request(settings, args, ctx);
    },
  });
}

interface RequestArgs {
  method?: HttpMethod;
  url: string;
  query?: Record<string, string | number | boolean>;
  body?: Record<string, unknown>;
}

async function request(settings: HttpRequestSettings, args: RequestArgs, ctx: ToolContext) {
  const requested = args.method ?? "GET";
  if (!settings.methods.includes(requested)) {
    throw new HttpToolError(
      "method_not_allowed",
      `${requested} is not allowed; allowed: ${settings.methods.join(", ")}`,
    );
  }
  let url = resolveTarget(args.url, settings.baseUrl);
  for (const [key, value] of Object.entries(args.query ?? {}))
    url.searchParams.set(key, String(value));
  let headers: Record<string, string> = { accept: "application/json", ...settings.headers };
  let method: string = requested;
  let body: string | undefined;
  if (args.body !== undefined && method !== "GET" && method !== "DELETE") {
    body = JSON.stringify(args.body);
    headers["content-type"] = "application/json";
  }
  const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(settings.timeoutMs)]);
  const started = performance.now();
  for (let redirects = 0; ; redirects++) {
    checkAllowed(url, settings.allow);
    ctx.log.info(`${method} ${redactUrl(url)}`, { headers: redactHeaders(headers) });
    let response: Response;
    try {
      // Redirects are followed by hand so each hop is checked against the allowlist.
      response = await fetch(url, { method, headers, body, signal, redirect: "manual" });
    } catch (error) {
      throw failure(error, ctx, settings, url);
    }
    const location = response.headers.get("location");
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel();
      if (redirects >= settings.maxRedirects) {
        throw new HttpToolError(
          "too_many_redirects",
          `more than ${settings.maxRedirects} redirects from ${redactUrl(url)}`,
        );
      }
      const next = new URL(location, url);
      // 303 (and 301/302 after a POST) become a GET without the body; only safe headers cross origins.
      ({ method, body, headers } = nextHop(response.status, { method, body, headers }, url, next));
      url = next;
      continue;
    }
    let text: string;
    try {
      text = await readLimited(response, settings.maxBytes);
    } catch (error) {
      if (error instanceof HttpToolError) throw error;
      throw failure(error, ctx, settings, url);
    }
    ctx.log.info(
      `${response.status} ${redactUrl(url)} in ${Math.round(performance.now() - started)}ms`,
    );
    return {
      status: response.status,
      ok: response.ok,
      body: parseBody(text, response.headers.get("content-type")),
    };
  }
}

function checkAllowed(url: URL, allow: HostAllowlist): void {
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new HttpToolError(
      "invalid_url",
      `only http and https URLs can be called, not ${url.protocol}`,
    );
  }
  if (!allow.allows(url)) {
    throw new HttpToolError(
      "host_not_allowed",
      `${url.host} is not in the allowlist (${allow}); add it under options.allow`,
    );
  }
}

function parseBody(text: string, contentType: string | null): unknown {
  if (text === "") return null;
  if (contentType?.includes("json") || /^\s*[[{]/.test(text)) {
    try {
      return JSON.parse(text);
    } catch {
      // Fall through: a server that says JSON but sends something else still gets its text returned.
    }
  }
  return text;
}

function failure(error: unknown, ctx: ToolContext, settings: HttpRequestSettings, url: URL): Error {
  if (ctx.signal.aborted)
    return ctx.signal.reason instanceof Error
      ? ctx.signal.reason
      : new HttpToolError("http_aborted", "the call was cancelled");
  const name = (error as Error)?.name;
  if (name === "TimeoutError" || name === "AbortError") {
    return new HttpToolError(
      "http_timeout",
      `${redactUrl(url)} did not answer within ${settings.timeoutMs}ms`,
    );
  }
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  return new HttpToolError(
    "http_network",
    `could not reach ${url.host}: ${cause?.code ?? cause?.message ?? (error as Error)?.message ?? "network error"}`,
  );
}
