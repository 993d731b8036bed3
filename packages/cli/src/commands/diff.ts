import type { Command } from "commander";
import { examples } from "./help.ts";
import type { RegisterCommand } from "./index.ts";

/** `agent diff [old] [new]`: what a change to an agent does, as a review. */
export const registerDiff: RegisterCommand = (program: Command) => {
  program
    .command("diff")
    .description(
      "show what a change to an agent does: the compiled session.update as a semantic diff (exit 1 when something the model sees changed)",
    )
    .argument(
      "[old]",
      "the old version: a file, or a git revision of one (HEAD:agents/x.agent.yaml)",
    )
    .argument("[new]", "the new version (default: the working tree's file)")
    .option("--rev <rev>", "the revision to compare the working tree with (default HEAD)")
    .option(
      "--scenarios",
      "also run both versions' scenarios offline and show which outcomes change",
    )
    .option("--markdown", "Markdown, for a pull-request comment")
    .addHelpText(
      "after",
      "\nExit: 0 nothing that reaches the model changed, 1 something did (or a scenario outcome changed), 2 error." +
        examples(
          ["agent diff", "every agent file changed since HEAD"],
          ["agent diff HEAD~1:agents/desk.agent.yaml agents/desk.agent.yaml", "two versions"],
          ["agent diff --scenarios --markdown > review.md", "a PR comment with scenario outcomes"],
        ),
    )
    .action(
      async (old: string | undefined, now: string | undefined, opts: Record<string, unknown>) => {
        const { runDiff } = await import("../diff/run-diff.ts");
        process.exitCode = await runDiff(
          [old, now].filter((a): a is string => a !== undefined),
          opts,
          {
            stdout: process.stdout,
            stderr: process.stderr,
            env: process.env,
          },
        );
      },
    );
};
