import { durationSchema } from "@parley/core/pack";
import { z } from "zod";
import { defineToolPack } from "../../pack/define-tool-pack.ts";
import { HostAllowlist } from "./allowlist.ts";
import { createHttpRequestTool, HTTP_METHODS } from "./request.ts";

export { HostAllowlist } from "./allowlist.ts";
export { HttpToolError, type HttpToolErrorCode } from "./errors.ts";
export {
  createHttpRequestTool,
  type HttpRequestSettings,
  redactHeaders,
  redactUrl,
} from "./request.ts";

const hostEntry = z.string().refine(
  (entry) => {
    try {
      new HostAllowlist([entry]);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'expected a host: "api.example.com", "api.example.com:8443" or "*.example.com"' },
);

/** `options:` of the http pack, as written under `use: "@parley/tools/http"`. */
export const httpPackOptions = z
  .strictObject({
    allow: z.array(hostEntry).min(1, { message: "list at least one host the agent may call" }),
    baseUrl: z.url().optional(),
    headers: z.record(z.string(), z.string()).optional(),
    methods: z.array(z.enum(HTTP_METHODS)).min(1).optional(),
    timeout: durationSchema.optional(),
    maxBytes: z.int().positive().optional(),
    maxRedirects: z.int().min(0).optional(),
  })
  .superRefine((options, ctx) => {
    if (!options.baseUrl) return;
    try {
      if (!new HostAllowlist(options.allow).allows(new URL(options.baseUrl))) {
        ctx.addIssue({
          code: "custom",
          path: ["baseUrl"],
          message: "the baseUrl's host is not in allow",
        });
      }
    } catch {
      // A bad allow entry is reported on its own path.
    }
  });

/**
 * `@parley/tools/http`: one tool, `http_request`, that calls JSON HTTP APIs on the hosts listed in the agent
 * file, with a timeout (default 10s), a response size limit (default 1 MB), credentials kept out of logs, and
 * approval for writes (POST, PUT, PATCH, DELETE) by default.
 *
 * @example
 * // agent.yaml
 * // tools:
 * //   - use: "@parley/tools/http"
 * //     options:
 * //       allow: [api.example.com]
 * //       baseUrl: https://api.example.com/v1
 * //       headers: { authorization: "Bearer ${env:EXAMPLE_TOKEN}" }
 */
export const httpPack = defineToolPack({
  name: "@parley/tools/http",
  version: "0.1.0",
  description:
    "Call JSON HTTP APIs on an allowlist of hosts, with timeout, size limit and redacted credentials.",
  options: httpPackOptions,
  tools: (options) => {
    const allow = new HostAllowlist(options.allow);
    return [
      createHttpRequestTool({
        allow,
        baseUrl: options.baseUrl,
        headers: options.headers ?? {},
        methods: options.methods ?? ["GET"],
        timeoutMs: options.timeout ?? 10_000,
        maxBytes: options.maxBytes ?? 1_000_000,
        maxRedirects: options.maxRedirects ?? 3,
      }),
    ];
  },
  defaults: { filler: { after: "1.5s", lines: ["One moment, I'm checking that."] } },
});

export default httpPack;
