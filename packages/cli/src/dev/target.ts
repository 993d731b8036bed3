import { ParleyError } from "@parley/core";

/** Where `agent dev` / `agent test` talk to: the embedded local server, the OpenAI API, or a given URL. */
export interface Target {
  kind: "local" | "live" | "url";
  /** For the status line: `local`, `live`, or the URL's host. */
  label: string;
  url: string | undefined;
  apiKey: string | undefined;
  /** One line for the banner saying what this is. */
  describe: string;
  close(): Promise<void>;
}

export interface TargetOptions {
  live?: boolean;
  url?: string;
  /** Local server audio pace: 1 real time, 0 as fast as possible. */
  pace: number;
  env?: NodeJS.ProcessEnv;
  /** Builds the simulated model for the embedded server (default: its rules model). */
  model?: unknown;
}

/**
 * Picks the server. `--url` wins; then `--live` or an `OPENAI_API_KEY` mean the real API; otherwise the local
 * Realtime server starts in this process on a free loopback port (imported only then, so live runs never load it).
 *
 * @example
 * const target = await openTarget({ pace: 1 }); // local unless OPENAI_API_KEY is set
 */
export async function openTarget(options: TargetOptions): Promise<Target> {
  const env = options.env ?? process.env;
  const key = env.OPENAI_API_KEY || undefined;
  if (options.url) {
    let host: string;
    try {
      host = new URL(options.url).host;
    } catch {
      throw new ParleyError(
        "usage",
        `--url ${options.url} is not a URL (expected ws://host:port/v1/realtime)`,
      );
    }
    return {
      kind: "url",
      label: host,
      url: options.url,
      apiKey: key,
      describe: `Running against ${options.url}.`,
      close: async () => {},
    };
  }
  if (options.live || key) {
    if (!key) {
      throw new ParleyError(
        "missing_api_key",
        "--live needs OPENAI_API_KEY in the environment (or drop --live to run offline)",
      );
    }
    return {
      kind: "live",
      label: "live",
      url: undefined,
      apiKey: key,
      describe: options.live
        ? "Running against the OpenAI Realtime API (--live)."
        : "Running against the OpenAI Realtime API (OPENAI_API_KEY is set).",
      close: async () => {},
    };
  }
  const { startLocalRealtime } = await import("@parley/local-realtime");
  const server = await startLocalRealtime({
    port: 0,
    pace: options.pace,
    ...(options.model ? { model: options.model as never } : {}),
  });
  return {
    kind: "local",
    label: "local",
    url: server.url,
    apiKey: undefined,
    describe:
      "Running against the embedded local Realtime server (no OPENAI_API_KEY set): a simulated model, offline and free (costs shown are estimates at API prices, marked ~). Set OPENAI_API_KEY or pass --live for the real model.",
    close: () => server.close(),
  };
}

/** `--pace` or `PARLEY_SIM_PACE`, else `fallback` (1, real time, for a person in `agent dev`; 0 for `agent test`). */
export function resolvePace(
  flag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  fallback = 1,
): number {
  const raw = flag ?? env.PARLEY_SIM_PACE;
  if (raw === undefined || raw === "") return fallback;
  const pace = Number(raw);
  if (!Number.isFinite(pace) || pace < 0) {
    throw new ParleyError(
      "usage",
      `pace must be a number ≥ 0 (1 = real time, 0 = as fast as possible), got "${raw}"`,
    );
  }
  return pace;
}
