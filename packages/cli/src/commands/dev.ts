import type { Command } from "commander";
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
    .argument("<agent-file>", "the agent file (.agent.yaml, .agent.md or .agent.ts)")
    .option("--live", "use the OpenAI Realtime API (needs OPENAI_API_KEY)")
    .option("--url <url>", "use this Realtime server (ws://host:port/v1/realtime)")
    .option("--audio", "use the microphone and speaker through sox (rec/play)")
    .option(
      "--pace <n>",
      "local server speed: 1 real time (default), 0 as fast as possible (env PARLEY_SIM_PACE)",
    )
    .option("--var <name=value...>", "set a session variable (repeatable)")
    .option("--no-watch", "do not reload when files change");
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
          "OPENAI_API_KEY=sk-\u2026 agent dev concierge.agent.yaml --audio",
          "talk to gpt-realtime through the microphone",
        ],
        [
          "echo 'book a room' | agent dev concierge.agent.yaml",
          "one scripted turn, a plain transcript",
        ],
      ),
    )
    .action(async (file: string, opts: Record<string, unknown>) => {
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
