import { Command, CommanderError } from "commander";
import { commands, commandsFor, loadsNoAgent } from "./commands/index.ts";

/** Runs the `agent` CLI with the given arguments and resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  const program = new Command("agent")
    .description("Parley: voice agents on the OpenAI Realtime API, as config-as-code")
    .exitOverride()
    .showHelpAfterError();
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
    const { isParleyError } = await import("@parley/core");
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
  const { closeAllAgents } = await import("@parley/core");
  await closeAllAgents();
}
