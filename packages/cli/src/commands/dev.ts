import { relative } from "node:path";
import { type Command, InvalidArgumentError } from "commander";
import { findAgentFiles, UsageError } from "../agent-file/find-agent-files.ts";
import { addLogOptions } from "../logs/settings.ts";
import { examples } from "./help.ts";
import type { RegisterCommand } from "./index.ts";

/** `agent dev <agent-file>`: talk to the agent in the terminal, with live reload. */
export const registerDev: RegisterCommand = (program: Command) => {
  const command = program
    .command("dev")
    .description(
      "talk to an agent in the terminal; saving its files reloads it (offline unless OPENAI_API_KEY is set)",
    )
    .argument(
      "[agent-file]",
      "the agent file (.agent.yaml, .agent.md or .agent.ts; default: the one under this folder)",
    )
    .option("--live", "use the OpenAI Realtime API (needs OPENAI_API_KEY)")
    .option("--url <url>", "use this Realtime server (ws://host:port/v1/realtime)")
    .option("--audio", "use the microphone and speaker through sox (rec/play)")
    .option(
      "--pace <n>",
      "local server speed: 1 real time (default), 0 as fast as possible (env PARLEY_SIM_PACE)",
    )
    .option("--var <name=value...>", "set a session variable (repeatable)")
    .option("--no-watch", "do not reload when files change")
    .option("--web", "talk in the browser console instead (microphone, transcript, tool timeline)")
    .option("--port <port>", "--web: the console's port (default: a free one)", port)
    .option("--host <host>", "--web: the interface to bind (default 127.0.0.1, this machine only)")
    .option("--open", "--web: open the console in the browser");
  addLogOptions(command)
    .addHelpText(
      "after",
      "\nWhile talking: /image <path> [text], /interrupt, /call <tool> <json>, /vars, /reload, /help, /quit.\n" +
        "Piped (stdin not a terminal): one user line per input line, a plain transcript out; exits when input ends.",
    )
    .addHelpText(
      "after",
      examples(
        ["agent dev agents/hotel-concierge/concierge.agent.yaml", "type to the agent, offline"],
        [
          "agent dev --web --open concierge.agent.yaml",
          "talk to it in the browser console (docs/console.md)",
        ],
        [
          "OPENAI_API_KEY=sk-\u2026 agent dev concierge.agent.yaml --audio",
          "talk to gpt-realtime through the microphone",
        ],
      ),
    )
    .action(async (given: string | undefined, opts: Record<string, unknown>) => {
      const file = given ?? onlyAgentFile();
      if (file === undefined) return;
      if (opts.web) {
        const { runConsole } = await import("../console/run-console.ts");
        process.exitCode = await runConsole(file, opts, {
          stdout: process.stdout,
          stderr: process.stderr,
          env: process.env,
        });
        return;
      }
      // The session, the local server and chokidar load only now: `agent --help` stays instant.
      const { runDev } = await import("../dev/run-dev.ts");
      process.exitCode = await runDev(file, opts, {
        stdin: process.stdin,
        stdout: process.stdout,
        stderr: process.stderr,
        env: process.env,
      });
    });
};

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError("a port is a whole number from 0 to 65535");
  return n;
}

/** No agent file given: the one under the current folder; none or several is a usage error (exit 2). */
function onlyAgentFile(): string | undefined {
  let found: string[];
  try {
    found = findAgentFiles([]);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`agent dev: ${error.message}; give the agent file\n`);
    process.exitCode = 2;
    return undefined;
  }
  if (found.length === 1) return found[0];
  process.stderr.write(
    `agent dev: ${found.length} agent files under this folder; give one:\n${found.map((f) => `  ${relative(".", f)}`).join("\n")}\n`,
  );
  process.exitCode = 2;
  return undefined;
}
