import type { Command } from "commander";
import { examples } from "./help.ts";
import type { RegisterCommand } from "./index.ts";

const io = () => ({ stdout: process.stdout, stderr: process.stderr });

/** `agent logs [dir]`, `agent logs show <id>`, `agent logs to-test <id>`: the session logs dev and serve write. */
export const registerLogs: RegisterCommand = (program: Command) => {
  const logs = program
    .command("logs")
    .description("list recorded sessions (time, agent, duration, cost, turns, tool calls, errors)")
    .argument("[dir]", "the logs folder (default .parley/logs, or PARLEY_SESSION_LOGS)")
    .option("--json", "one JSON object per session")
    .addHelpText(
      "after",
      examples(
        ["agent logs", "the sessions agent dev and agent serve recorded here"],
        ["agent logs show a1b2c3", "one session's transcript and tool timeline"],
        [
          "agent test --from-log .parley/logs/<file>.jsonl",
          "replay it against the agent as it is now",
        ],
      ),
    )
    .action(async (dir: string | undefined, opts: { json?: boolean }) => {
      const { listLogs, logsDir } = await import("../logs/run-logs.ts");
      process.exitCode = await listLogs(logsDir(dir, process.env), opts, io());
    });
  logs
    .command("show")
    .description(
      "print a recorded session: the transcript, tool calls, approvals, and the tool timeline",
    )
    .argument("<id>", "the id agent logs shows (any unique part of the file name), or a log file")
    .option("--dir <dir>", "the logs folder (default .parley/logs)")
    .action(async (id: string, opts: { dir?: string }) => {
      const { showLog, logsDir } = await import("../logs/run-logs.ts");
      process.exitCode = await showLog(id, logsDir(opts.dir, process.env), io());
    });
  logs
    .command("to-test")
    .description(
      "turn a recorded session into a scenario file (user turns, tool calls, outputs as mocks)",
    )
    .argument("<id>", "the id agent logs shows, or a log file")
    .option("--dir <dir>", "the logs folder (default .parley/logs)")
    .option("-o, --output <file>", "write the scenario here (default: stdout)")
    .option("--agent <file>", "test this agent file instead of the one the log names")
    .action(async (id: string, opts: { dir?: string; output?: string; agent?: string }) => {
      const { logToTest, logsDir } = await import("../logs/run-logs.ts");
      const written = await logToTest(id, logsDir(opts.dir, process.env), opts, io());
      if (written)
        process.stderr.write(`wrote ${written}: run it with agent test ${opts.output}\n`);
      process.exitCode = 0;
    });
};
