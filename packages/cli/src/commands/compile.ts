import type { Command } from "commander";
import { examples } from "./help.ts";
import type { RegisterCommand } from "./index.ts";

/** `agent compile <file> [--var key=value]… [--target …]`: prints the compiled JSON with secrets redacted. */
export const registerCompile: RegisterCommand = (program: Command) => {
  program
    .command("compile")
    .description("print the session.update event an agent compiles to (secrets redacted)")
    .argument("<file>", "the agent file")
    .option(
      "--var <key=value>",
      "a session variable (repeatable)",
      (value: string, all: string[]) => [...all, value],
      [] as string[],
    )
    .option(
      "--target <target>",
      "session (session.update event), client-secret (POST /v1/realtime/client_secrets body) or sip (accept body)",
      "session",
    )
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the agent file's own ${env:…} syntax, not a template
    .option("--strict-env", "fail on unset ${env:…} variables (as a real session does)")
    .addHelpText(
      "after",
      examples(
        [
          "agent compile agents/hotel-concierge/concierge.agent.yaml",
          "the session.update, secrets redacted",
        ],
        ["agent compile support.agent.md --var company=Acme", "with a session variable set"],
        [
          "agent compile concierge.agent.yaml --target client-secret",
          "the body for POST /v1/realtime/client_secrets",
        ],
      ),
    )
    .action(async (file: string, opts: { var: string[]; target: string; strictEnv?: boolean }) => {
      const { runCompile } = await import("../agent-file/run-compile.ts");
      process.exitCode = await runCompile(file, opts);
    });
};
