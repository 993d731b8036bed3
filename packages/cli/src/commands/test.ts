import type { Command } from "commander";
import { examples } from "./help.ts";
import type { RegisterCommand } from "./index.ts";

/** `agent test [paths]`: run scenario files (`*.test.yaml`) offline against the local server's scripted model. */
export const registerTest: RegisterCommand = (program: Command) => {
  program
    .command("test")
    .description(
      "run scenario files (*.test.yaml) against the local Realtime server, deterministically",
    )
    .argument("[paths...]", "scenario files or folders to search (default: the current folder)")
    .option(
      "--live",
      "run against the OpenAI Realtime API (needs OPENAI_API_KEY); latency budgets are not enforced",
    )
    .option("--url <url>", "run against this Realtime server")
    .option("--reporter <name>", "text (default) or junit", "text")
    .option("-o, --output <file>", "write the report to a file")
    .option("-g, --grep <text>", "only scenarios whose name contains this text (case ignored)")
    .option(
      "--pace <n>",
      "local server speed: 0 as fast as possible (default), 1 real time (env PARLEY_SIM_PACE)",
    )
    .option("--timeout <ms>", "longest wait for one expectation (default 5000, live 30000)")
    .option(
      "--from-log <log>",
      "replay a recorded session (a log file, or its id in .parley/logs) as a scenario against the agent as it is now",
    )
    .option(
      "--save <file>",
      "with --from-log: where to write the scenario (default: beside the log)",
    )
    .option(
      "--agent <file>",
      "with --from-log: test this agent file instead of the one the log names",
    )
    .addHelpText(
      "after",
      examples(
        ["agent test agents", "every scenario under agents/, offline"],
        ["agent test -g approval", 'only scenarios whose name contains "approval"'],
        ["agent test --reporter junit -o report.xml", "a JUnit report for CI"],
      ),
    )
    .action(async (paths: string[], opts: Record<string, string | boolean | undefined>) => {
      const { runTests } = await import("../scenario/run-test.ts");
      process.exitCode = await runTests(paths, opts, {
        stdout: process.stdout,
        stderr: process.stderr,
        env: process.env,
      });
    });
};
