import type { Command } from "commander";
import { examples } from "./help.ts";
import type { RegisterCommand } from "./index.ts";

/** `agent validate <files or dirs…> [--json] [--strict-env]`: exit 0 all valid, 1 some invalid, 2 usage. */
export const registerValidate: RegisterCommand = (program: Command) => {
  program
    .command("validate")
    .description(
      "check agent files (and every agent file under a folder); all problems at once, with file:line:col",
    )
    .argument("[paths...]", "agent files or folders (default: the current folder)")
    .option("--json", "print a JSON report instead of text")
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the agent file's own ${env:…} syntax, not a template
    .option("--strict-env", "treat unset ${env:…} variables as errors (as a real session does)")
    .addHelpText(
      "after",
      examples(
        ["agent validate", "every agent file under the current folder"],
        ["agent validate agents/support/support.agent.md --json", "one file, a JSON report"],
        ["agent validate agents --strict-env", "unset secrets are errors, as in production"],
      ),
    )
    .action(async (paths: string[], opts: { json?: boolean; strictEnv?: boolean }) => {
      const { runValidate } = await import("../agent-file/run-validate.ts");
      process.exitCode = await runValidate(paths, opts);
    });
};
