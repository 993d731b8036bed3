import { loadAgent, type Problem } from "@parley/core/load";
import { redact, redactString } from "@parley/core/pack";
import pc from "picocolors";
import { envSecretValues } from "./env-secrets.ts";
import { findAgentFiles, UsageError } from "./find-agent-files.ts";
import { problemsOf, renderProblems, shortPath } from "./report.ts";
import { sipAcceptWarnings } from "./sip-warnings.ts";
import { toolCountText } from "./tool-count.ts";

interface FileReport {
  file: string;
  ok: boolean;
  name?: string;
  tools?: number;
  problems: Problem[];
  warnings: Problem[];
}

/**
 * Validates agent files; all of them, every problem of each. Human output (code frames) or `--json`.
 * Unset `${env:…}` are warnings unless `--strict-env`: an agent checks out on a machine without its secrets.
 */
export async function runValidate(
  paths: string[],
  opts: { json?: boolean; strictEnv?: boolean },
): Promise<number> {
  let files: string[];
  try {
    files = findAgentFiles(paths);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`agent validate: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const reports: FileReport[] = [];
  const out: string[] = [];
  // Files load concurrently (their imports overlap); results are reported in the order given.
  const loads = files.map((file) =>
    loadAgent(file, { missingEnv: opts.strictEnv ? "error" : "warn" }).then(
      (agent) => ({ agent }),
      (error: unknown) => ({ error }),
    ),
  );
  for (const [i, file] of files.entries()) {
    const outcome = await loads[i];
    try {
      if (!outcome || "error" in outcome) throw outcome?.error;
      const agent = outcome.agent;
      const warnings = [...agent.warnings, ...sipAcceptWarnings(agent)];
      reports.push({
        file,
        ok: true,
        name: agent.name,
        tools: agent.tools.length + agent.handoffs.length,
        problems: [],
        warnings,
      });
      if (!opts.json) {
        out.push(
          `${pc.green("✓")} ${shortPath(file)} ${pc.dim(`(${agent.name}, ${toolCountText(agent)})`)}`,
        );
        if (warnings.length) out.push(indent(renderProblems(warnings, {})));
      }
    } catch (error) {
      const { problems, sources } = problemsOf(error, file);
      reports.push({ file, ok: false, problems, warnings: [] });
      if (!opts.json)
        out.push(
          `${pc.red("✗")} ${shortPath(file)} ${pc.dim(`(${plural(problems.length, "problem")})`)}`,
          `${indent(renderProblems(problems, sources))}\n`,
        );
    }
  }
  const invalid = reports.filter((r) => !r.ok).length;
  // Warnings can quote a bridged server's stderr or an HTTP error body: mask what the agents read from the env.
  const secrets = envSecretValues(files);
  if (opts.json) {
    const body = redact({ ok: invalid === 0, files: reports }, { values: secrets });
    process.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
  } else {
    const summary =
      invalid === 0
        ? pc.green(`${plural(files.length, "agent file")} valid`)
        : pc.red(`${invalid} of ${plural(files.length, "agent file")} invalid`);
    process.stdout.write(`${redactString(out.join("\n"), secrets)}\n\n${summary}\n`);
  }
  return invalid === 0 ? 0 : 1;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((line) => (line ? `  ${line}` : line))
    .join("\n");
}
