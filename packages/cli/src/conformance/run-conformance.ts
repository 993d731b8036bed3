import type { FlowResult } from "@parley/local-realtime";

/** The API's WebSocket endpoint the live side dials. */
export const LIVE_URL = "wss://api.openai.com/v1/realtime?model=gpt-realtime";

export interface ConformanceCliOptions {
  live?: boolean;
  /** Compare with this Realtime server instead of the API (another local server, a proxy). */
  against?: string;
  /** Test this running server instead of starting one. */
  local?: string;
  flow?: string[];
  json?: boolean;
}

interface Io {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env: Record<string, string | undefined>;
}

/**
 * `agent conformance`: runs the scripted flows against the local server and, with OPENAI_API_KEY (or `--against`),
 * against the other side, and prints where they differ. Returns the exit code: 0 when nothing differs (or the live
 * part was skipped), 1 when something differs or a flow could not run, 2 for bad usage.
 */
export async function runConformanceCommand(
  options: ConformanceCliOptions,
  io: Io,
): Promise<number> {
  const { runConformance, startLocalRealtime } = await import("@parley/local-realtime");
  const key = io.env.OPENAI_API_KEY;
  if (options.live && !key && !options.against) {
    io.stderr.write(
      "error[missing_api_key]: --live needs OPENAI_API_KEY in the environment (or drop --live to run locally only)\n",
    );
    return 2;
  }
  const other = options.against
    ? { url: options.against, apiKey: key }
    : key && (options.live ?? true)
      ? { url: LIVE_URL, apiKey: key }
      : undefined;
  const server = options.local ? undefined : await startLocalRealtime({ pace: 0 });
  const localUrl = options.local ?? `${server?.url}?model=gpt-realtime`;
  const otherName = options.against ? "other" : "live";
  try {
    const results = await runConformance({
      local: { url: localUrl },
      other,
      flows: options.flow,
      names: ["local", otherName],
    });
    if (options.json) io.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
    else io.stdout.write(report(results, other ? otherName : undefined));
    const bad = results.some((r) => r.failed || r.differences.length);
    return bad ? 1 : 0;
  } catch (error) {
    io.stderr.write(
      `error[conformance]: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return 2;
  } finally {
    await server?.close();
  }
}

/** The text report: one line per flow, its differences indented under it, then a summary. */
export function report(results: FlowResult[], otherName: string | undefined): string {
  const lines: string[] = [];
  for (const r of results) {
    if (r.failed) {
      lines.push(`✗ ${r.flow}: could not run (${r.failed})`);
      continue;
    }
    if (!otherName) {
      lines.push(`✓ ${r.flow}: ${r.local.length} steps locally — ${r.about}`);
      continue;
    }
    lines.push(
      r.differences.length
        ? `✗ ${r.flow}: ${r.differences.length} difference${r.differences.length === 1 ? "" : "s"} — ${r.about}`
        : `✓ ${r.flow}: same events, codes and fields — ${r.about}`,
    );
    for (const d of r.differences) lines.push(`    ${d.message}`);
  }
  const differing = results.filter((r) => r.differences.length || r.failed).length;
  lines.push("");
  lines.push(
    otherName
      ? `${results.length} flows: ${results.length - differing} same, ${differing} differ (local vs ${otherName})`
      : `${results.length} flows ran locally; the live part was skipped (set OPENAI_API_KEY to compare with the real API)`,
  );
  return `${lines.join("\n")}\n`;
}
