import { writeFile } from "node:fs/promises";
import { dirname, relative } from "node:path";
import { ParleyError, parseDuration } from "@parley/core";
import pc from "picocolors";
import { resolvePace } from "../dev/target.ts";
import { findScenarioFiles } from "./discover.ts";
import { ScenarioFileError } from "./errors.ts";
import { loadScenarioFile } from "./load.ts";
import { formatJunitReport } from "./report-junit.ts";
import { formatScenarioResult, formatSummary, formatTextReport } from "./report-text.ts";
import { type ScenarioResult, summarize } from "./result.ts";
import { runScenario } from "./run.ts";
import type { Scenario } from "./schema.ts";

export interface TestOptions {
  live?: boolean;
  url?: string;
  reporter?: string;
  /** Write the report to this file instead of stdout (the readable summary still goes to stdout). */
  output?: string;
  /** Only scenarios whose name contains this text. */
  grep?: string;
  pace?: string;
  timeout?: string;
  /** Replay this session log (a file, or an id in the logs folder) instead of `paths`. */
  fromLog?: string;
  /** With `fromLog`: where the scenario is written (default beside the log, `<id>.test.yaml`). */
  save?: string;
  /** With `fromLog`: the agent file to test (default the one the log names). */
  agent?: string;
}

/** `agent test [paths]`: loads scenario files, runs them one after another, reports; resolves to the exit code. */
export async function runTests(
  paths: string[],
  options: TestOptions,
  io: { stdout: NodeJS.WriteStream; stderr: NodeJS.WriteStream; env: NodeJS.ProcessEnv },
): Promise<number> {
  const t0 = performance.now();
  const reporter = options.reporter ?? "text";
  // Runs are deterministic and quick by default: the local server at pace 0.
  const pace = resolvePace(options.pace, io.env, 0);
  const stepTimeoutMs = options.timeout === undefined ? undefined : parseTimeout(options.timeout);
  if (reporter !== "text" && reporter !== "junit")
    throw new ParleyError("usage", `--reporter ${reporter}: use text or junit`);
  const apiKey = io.env.OPENAI_API_KEY || undefined;
  if (options.live && !apiKey)
    throw new ParleyError("missing_api_key", "--live needs OPENAI_API_KEY in the environment");
  if (options.fromLog) {
    if (paths.length)
      throw new ParleyError("usage", "--from-log replays one log: give no paths with it");
    paths = [await scenarioFromLog(options.fromLog, options, io)];
  }
  const files = await findScenarioFiles(paths);
  if (files.length === 0)
    throw new ParleyError(
      "usage",
      `no scenario files (*.test.yaml) under ${paths.join(", ") || "."}`,
    );

  // Every file is checked before anything runs: a typo in one file is reported with all the others.
  const scenarios: Scenario[] = [];
  const problems: ScenarioFileError[] = [];
  for (const file of files) {
    try {
      scenarios.push(...(await loadScenarioFile(file)));
    } catch (error) {
      if (error instanceof ScenarioFileError) problems.push(error);
      else throw error;
    }
  }
  if (problems.length > 0) {
    const c = pc.createColors(Boolean(io.stderr.isTTY) && !io.env.NO_COLOR);
    for (const p of problems) {
      io.stderr.write(
        `${p.format({ cwd: process.cwd(), paint: (part, t) => (part === "error" ? c.red(t) : part === "location" ? c.cyan(t) : part === "hint" ? c.green(t) : c.dim(t)) })}\n\n`,
      );
    }
    const n = problems.reduce((sum, p) => sum + p.problems.length, 0);
    io.stderr.write(`${n} problem${n === 1 ? "" : "s"} in scenario files; nothing was run\n`);
    return 1;
  }
  const selected = options.grep
    ? scenarios.filter((s) => s.name.toLowerCase().includes((options.grep as string).toLowerCase()))
    : scenarios;
  if (selected.length === 0)
    throw new ParleyError("usage", `no scenario name contains "${options.grep}" (case ignored)`);
  const agents = new Map();
  const results: ScenarioResult[] = [];
  const color = Boolean(io.stdout.isTTY) && !io.env.NO_COLOR;
  // The readable report streams, a scenario at a time; JUnit to stdout is one document at the end.
  const streaming = reporter === "text" || options.output !== undefined;
  for (const scenario of selected) {
    const result = await runScenario(scenario, {
      ...(options.live ? { live: true, apiKey } : {}),
      ...(options.url ? { url: options.url, apiKey } : {}),
      pace,
      ...(stepTimeoutMs !== undefined ? { stepTimeoutMs } : {}),
      agents,
    });
    results.push(result);
    if (streaming) io.stdout.write(formatScenarioResult(result, { cwd: process.cwd(), color }));
  }
  const summary = summarize(results, performance.now() - t0);
  if (streaming) io.stdout.write(formatSummary(summary, { color }));
  if (reporter === "junit") {
    const xml = formatJunitReport(summary, { cwd: process.cwd() });
    if (options.output) await writeReport(options.output, xml);
    else io.stdout.write(xml);
  } else if (options.output) {
    await writeReport(
      options.output,
      formatTextReport(summary, { cwd: process.cwd(), color: false }),
    );
  }
  return summary.failed > 0 ? 1 : 0;
}

/** `--from-log`: the log written as a scenario file (beside the log unless `--save`); its path. */
async function scenarioFromLog(
  ref: string,
  options: TestOptions,
  io: { stderr: NodeJS.WriteStream; env: NodeJS.ProcessEnv },
): Promise<string> {
  const { findLog } = await import("../logs/find.ts");
  const { logToTest, logsDir } = await import("../logs/run-logs.ts");
  const log = findLog(ref, logsDir(undefined, io.env));
  const output = options.save ?? log.replace(/\.jsonl$/, ".test.yaml");
  const file = await logToTest(
    log,
    dirname(log),
    { output, ...(options.agent ? { agent: options.agent } : {}) },
    {
      stdout: io.stderr,
      stderr: io.stderr,
    },
  );
  io.stderr.write(
    `replaying ${relative(process.cwd(), log)} as ${relative(process.cwd(), output)}\n`,
  );
  return file ?? output;
}

/** `--output <file>`: a missing folder or a read-only path is the user's input, reported without a stack trace. */
async function writeReport(file: string, text: string): Promise<void> {
  try {
    await writeFile(file, text);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new ParleyError(
      "output_failed",
      `--output ${file}: could not write the report (${reason})`,
      {
        cause: error,
      },
    );
  }
}

/** `--timeout 5000` or `--timeout 5s`. */
function parseTimeout(value: string): number {
  const ms = /^\d+$/.test(value) ? Number(value) : parseDuration(value);
  if (ms === undefined || ms <= 0) {
    throw new ParleyError(
      "usage",
      `--timeout ${value}: expected milliseconds or a duration like "5s"`,
    );
  }
  return ms;
}
