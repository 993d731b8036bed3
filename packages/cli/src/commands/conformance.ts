import type { Command } from "commander";
import type { RegisterCommand } from "./index.ts";

function collect(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(",")
      .map((v) => v.trim())
      .filter(Boolean),
  ];
}

/** `agent conformance [--live]`: the same scripted flows against the local server and the real API, compared. */
export const registerConformance: RegisterCommand = (program: Command) => {
  program
    .command("conformance")
    .description(
      "run scripted Realtime flows against the local server and, with OPENAI_API_KEY, the real API; print where they differ",
    )
    .option(
      "--live",
      "compare with the OpenAI Realtime API (needs OPENAI_API_KEY; the default when it is set)",
    )
    .option(
      "--against <url>",
      "compare with this Realtime server instead (ws://…/v1/realtime?model=…)",
    )
    .option("--local <url>", "test this running local server instead of starting one")
    .option("--flow <names>", "only these flows (comma-separated; repeatable)", collect)
    .option("--json", "print the traces and differences as JSON")
    .action(async (opts: Record<string, unknown>) => {
      const { runConformanceCommand } = await import("../conformance/run-conformance.ts");
      process.exitCode = await runConformanceCommand(opts, {
        stdout: process.stdout,
        stderr: process.stderr,
        env: process.env,
      });
    });
};
