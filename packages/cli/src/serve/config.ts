import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { ParleyError } from "@parley/core";
import { LineCounter, parseDocument } from "yaml";
import { z } from "zod";

/** A serve config file is wrong: the message names `file:line:col`. */
export type ServeConfigErrorCode = "invalid_serve_config" | "missing_env" | "usage";

export class ServeConfigError extends ParleyError<ServeConfigErrorCode> {}

const sipStatus = z.number().int().min(400).max(699);

/** One routing rule: calls to `number` (or with SIP header `header.name` matching `header.value`) go to `agent`, or are rejected with `reject`. */
const routeSchema = z
  .strictObject({
    number: z.string().min(1).optional().meta({
      description: "The dialled number (the user part of the SIP To header), e.g. +14155550123.",
    }),
    header: z
      .strictObject({ name: z.string().min(1), value: z.string() })
      .optional()
      .meta({ description: "A SIP header and the exact value it must have." }),
    agent: z
      .string()
      .min(1)
      .optional()
      .meta({ description: "The agent (its name) that answers matching calls." }),
    reject: sipStatus
      .optional()
      .meta({ description: "Reject matching calls with this SIP status (e.g. 403) instead." }),
  })
  .refine((r) => (r.agent === undefined) !== (r.reject === undefined), {
    message: "a route has either agent or reject",
  });

/** `serve.yaml`: every field optional; flags override it. */
export const serveConfigSchema = z.strictObject({
  agents: z
    .array(z.string())
    .optional()
    .meta({ description: "Agent files or folders (relative to this file)." }),
  port: z.number().int().min(0).max(65535).optional(),
  host: z.string().min(1).optional(),
  baseUrl: z.url().optional().meta({
    description: "API base URL (default OPENAI_BASE_URL, else https://api.openai.com/v1).",
  }),
  maxCalls: z
    .number()
    .int()
    .positive()
    .optional()
    .meta({ description: "Calls held at once; more are rejected with 486 Busy (default 100)." }),
  drainSeconds: z.number().positive().optional().meta({
    description:
      "On SIGTERM, how long calls may finish before they are ended with a goodbye (default 30).",
  }),
  goodbye: z
    .string()
    .min(1)
    .optional()
    .meta({ description: "What the agent says when serve ends a call (drain)." }),
  defaultAgent: z
    .string()
    .min(1)
    .optional()
    .meta({ description: "The agent for calls no route matches (default: the first agent)." }),
  routes: z.array(routeSchema).optional(),
  variables: z
    .record(z.string().min(1), z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/))
    .optional()
    .meta({
      description:
        "SIP header → session variable, passed only when the agent declares the variable (untrusted input).",
    }),
  browser: z
    .strictObject({
      enabled: z.boolean().optional(),
      allowedOrigins: z.array(z.string()).optional(),
    })
    .optional(),
  clientSecret: z
    .strictObject({
      enabled: z.boolean().optional(),
      allowedOrigins: z.array(z.string()).optional(),
      perMinute: z.number().int().positive().optional(),
      expiresInSeconds: z.number().int().min(10).max(7200).optional(),
    })
    .optional(),
  approvals: z
    .strictObject({ webhook: z.url(), secret: z.string().min(1) })
    .optional()
    .meta({
      description:
        "Where tool approvals are asked (the webhook approver); without it, calls needing approval are refused.",
    }),
});

export type ServeConfig = z.output<typeof serveConfigSchema>;

/** Reads and validates a serve config; `agents` paths come back absolute. */
export function readServeConfig(file: string): ServeConfig {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new ServeConfigError(
      "usage",
      `cannot read the serve config ${file}: ${(error as NodeJS.ErrnoException).code ?? error}`,
    );
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true });
  const at = (offset: number | undefined) => {
    const pos = lines.linePos(offset ?? 0);
    return `${file}:${pos.line}:${pos.col}`;
  };
  if (doc.errors.length) {
    const e = doc.errors[0];
    throw new ServeConfigError(
      "invalid_serve_config",
      `${at(e?.pos[0])}: ${e?.message.split("\n")[0]}`,
    );
  }
  const parsed = serveConfigSchema.safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const node = doc.getIn(issue.path as (string | number)[], true) as
        | { range?: [number] }
        | undefined;
      const where = node?.range ? at(node.range[0]) : at(0);
      return `${where}: ${issue.path.join(".") || "(root)"}: ${issue.message}`;
    });
    throw new ServeConfigError("invalid_serve_config", problems.join("\n"));
  }
  const config = parsed.data;
  if (config.approvals) config.approvals.secret = fromEnv(config.approvals.secret, at(0));
  if (config.agents) config.agents = config.agents.map((p) => resolve(dirname(file), p));
  return config;
}

/** `${env:NAME}` → the variable's value (a missing one is an error): secrets stay out of the file. */
function fromEnv(value: string, where: string): string {
  const name = /^\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(value)?.[1];
  if (!name) return value;
  const found = process.env[name];
  if (!found)
    throw new ServeConfigError(
      "missing_env",
      `${where}: approvals.secret: environment variable ${name} is not set`,
    );
  return found;
}
