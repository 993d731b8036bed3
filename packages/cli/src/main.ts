import { existsSync, readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { commands, commandsFor, loadsNoAgent } from "./commands/index.ts";

/**
 * The version in this package's package.json: the nearest one above this file (src/, dist/ or dist/chunks/). Every
 * command asks (commander's --version), so folders without one are skipped by a stat, not a caught read error.
 */
function cliVersion(): string {
  for (let dir = new URL(".", import.meta.url); ; dir = new URL("..", dir)) {
    const manifest = new URL("package.json", dir);
    try {
      if (existsSync(manifest) || dir.pathname === "/")
        return (JSON.parse(readFileSync(manifest, "utf8")) as { version: string }).version;
    } catch (error) {
      if (dir.pathname === "/") throw error;
    }
  }
}

const programHelp = `
Examples:
  $ agent init hello                       an agent, a tool handler and a scenario that passes
  $ agent dev hello/hello.agent.yaml       talk to it in the terminal (offline without OPENAI_API_KEY)
  $ agent test hello                       run its scenarios against the local Realtime server
  $ agent validate                         check every agent file under the current folder
  $ agent diff --scenarios                 what your edits change for the model, and which scenarios

Environment:
  OPENAI_API_KEY     use the OpenAI Realtime API (dev, test --live); without it everything runs offline
  PARLEY_SIM_PACE    local server speed: 1 real time, 0 as fast as possible
  PARLEY_LOG         debug log namespaces to stderr, e.g. parley:* or parley:runtime:wire
  PARLEY_SESSION_LOGS  where dev and serve write session logs (default .parley/logs; off: none)
  PARLEY_LOGS_KEEP / PARLEY_LOGS_DAYS / PARLEY_LOGS_MAX_MB  session logs kept (default 500 / 30 / 1024; 0: no limit)
  NO_COLOR           no colours

Docs: docs/*.md in the Parley repository (dev.md, testing.md, agent-file.md), and \`agent <command> --help\`.
`;

/** Runs the `agent` CLI with the given arguments and resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  const program = new Command("agent")
    .description("Parley: voice agents on the OpenAI Realtime API, as config-as-code")
    .version(cliVersion(), "-V, --version", "print the version")
    .option("--verbose", "show every Realtime event sent and received (on stderr)")
    .exitOverride()
    .showHelpAfterError()
    .addHelpText("after", programHelp);
  program.hook("preAction", async () => {
    if (!program.opts().verbose) return;
    const { showRealtimeEvents } = await import("./verbose.ts");
    showRealtimeEvents();
  });
  for (const register of await commandsFor(argv)) register(program);
  try {
    await program.parseAsync(argv, { from: "user" });
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // help and version exit 0; anything else commander rejects is a usage error.
      return error.exitCode === 0 ? 0 : 2;
    }
    // Loaded here, not at start-up: `agent --help` and commands that fail early stay quick.
    const { isParleyError } = await import("@parley/core/pack");
    if (isParleyError(error)) {
      process.stderr.write(`error[${error.code}]: ${error.message}\n`);
      // "usage": the command line itself is wrong (a bad flag value, a missing path), as commander's own errors.
      return error.code === "usage" ? 2 : 1;
    }
    throw error;
  } finally {
    await closeLoadedAgents(argv);
  }
}

/**
 * Agents whose packs hold connections (bridged MCP servers' child processes) would keep the process alive after
 * the command: close them. Core is imported only after a command that may have loaded an agent (it is loaded
 * already then); help, `init` and `schema` stay quick.
 */
async function closeLoadedAgents(argv: readonly string[]): Promise<void> {
  const first = argv.find((a) => !a.startsWith("-"));
  if (first === undefined || !Object.hasOwn(commands, first) || loadsNoAgent.has(first)) return;
  if (argv.some((a) => a === "-h" || a === "--help")) return;
  const { closeAllAgents } = await import("@parley/core/load");
  await closeAllAgents();
}
