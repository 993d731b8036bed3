import type { Command } from "commander";
import { examples } from "./help.ts";
import type { RegisterCommand } from "./index.ts";

/** `agent init [name] [--template …]`: scaffold an agent file, a tool handler and a scenario that passes. */
export const registerInit: RegisterCommand = (program: Command) => {
  program
    .command("init")
    .description("create a new agent: an agent file, a tool handler and a test scenario")
    .argument("[name]", "the agent's name (letters, digits, - and _)", "my-agent")
    .option(
      "-t, --template <template>",
      "basic (a tool with a filler) or approval (a tool that needs a yes)",
      "basic",
    )
    .option("-d, --dir <dir>", "folder to write into (default: ./<name>)")
    .option("-f, --force", "overwrite existing files")
    .addHelpText(
      "after",
      examples(
        ["agent init hello", "hello/: an agent, a tool handler and a passing scenario"],
        ["agent init desk --template approval", "a tool that needs a person's yes"],
        ["agent init bot --dir agents/bot", "write into another folder"],
      ),
    )
    .action(async (name: string, opts: { template: string; dir?: string; force?: boolean }) => {
      // Heavy modules load only when the command runs, so `agent --help` and other commands stay fast.
      const { runInit } = await import("../init/run-init.ts");
      process.exitCode = await runInit(name, opts);
    });
};
