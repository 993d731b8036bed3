import { existsSync } from "node:fs";
import { basename } from "node:path";
import { readSessionLog, SessionLogError } from "@parley/core";
import { logFiles } from "./find.ts";
import { duration, type LogSummary, summarize, usd } from "./summary.ts";

export interface LogsIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

/**
 * `agent logs [dir]`: one row per session log, oldest first. A log that cannot be read is reported at its
 * file:line on stderr (the others are still listed) and the exit code is 1.
 */
export async function listLogs(
  dir: string,
  options: { json?: boolean },
  io: LogsIo,
): Promise<number> {
  // No folder yet is no sessions yet, not a mistake: a newcomer runs this before their first session.
  if (!existsSync(dir)) {
    io.stdout.write(`no session logs in ${dir} (agent dev and agent serve write them there)\n`);
    return 0;
  }
  const rows: LogSummary[] = [];
  let problems = 0;
  for (const file of logFiles(dir)) {
    try {
      rows.push(summarize(await readSessionLog(file)));
    } catch (error) {
      if (!(error instanceof SessionLogError)) throw error;
      problems++;
      io.stderr.write(`error[${error.code}]: ${error.message}\n`);
    }
  }
  if (options.json) io.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
  else if (rows.length === 0 && problems === 0)
    io.stdout.write(`no session logs in ${dir} (agent dev and agent serve write them there)\n`);
  else if (rows.length) io.stdout.write(table(rows));
  return problems ? 1 : 0;
}

/** The short id `agent logs show` takes: the log's random suffix. */
export function shortId(file: string): string {
  const id = basename(file, ".jsonl");
  return /-([0-9a-f]{6})$/.exec(id)?.[1] ?? id;
}

function table(rows: LogSummary[]): string {
  const head = [
    "id",
    "started (UTC)",
    "agent",
    "duration",
    "cost",
    "turns",
    "tools",
    "errors",
    "end",
  ];
  const body = rows.map((r) => [
    shortId(r.file),
    r.startedAt.replace("T", " ").slice(0, 19),
    r.agent,
    duration(r.durationMs),
    usd(r.costUsd),
    String(r.turns),
    String(r.toolCalls),
    String(r.errors),
    r.end,
  ]);
  const widths = head.map((h, i) =>
    Math.max(h.length, ...body.map((row) => (row[i] ?? "").length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  return `${[line(head), ...body.map(line)].join("\n")}\n`;
}
