import type { Command } from "commander";

/**
 * Every `agent` sub-command lives in its own file under commands/ and registers itself here.
 * A register function adds its command to the program; its action sets `process.exitCode`
 * (0 ok, 1 the input is invalid or a test failed, 2 usage) and never lets a ParleyError reach the top as a stack trace.
 */
export type RegisterCommand = (program: Command) => void;

/**
 * The sub-commands by name, each imported only when needed (`() => import(…)`): `agent validate x` loads the
 * validate command alone; help and unknown names load them all, to list them. In help order.
 */
export const commands: Record<string, () => Promise<RegisterCommand>> = {
  init: async () => (await import("./init.ts")).registerInit,
  dev: async () => (await import("./dev.ts")).registerDev,
  test: async () => (await import("./test.ts")).registerTest,
  validate: async () => (await import("./validate.ts")).registerValidate,
  compile: async () => (await import("./compile.ts")).registerCompile,
  schema: async () => (await import("./schema.ts")).registerSchema,
  tools: async () => (await import("./tools.ts")).registerTools,
  sim: async () => (await import("./sim.ts")).registerSim,
  serve: async () => (await import("./serve.ts")).registerServe,
  conformance: async () => (await import("./conformance.ts")).registerConformance,
  logs: async () => (await import("./logs.ts")).registerLogs,
  diff: async () => (await import("./diff.ts")).registerDiff,
};

/** Sub-commands that never load an agent: nothing to close after them, so core is not imported for that. */
export const loadsNoAgent = new Set(["init", "schema"]);

/** The register functions a command line needs: its sub-command's alone, or all of them. */
export async function commandsFor(argv: readonly string[]): Promise<RegisterCommand[]> {
  const first = argv.find((a) => !a.startsWith("-"));
  const wantsHelp = argv.some((a) => a === "-h" || a === "--help");
  const one = first !== undefined && !wantsHelp ? commands[first] : undefined;
  if (one && Object.hasOwn(commands, first as string)) return [await one()];
  return Promise.all(Object.values(commands).map((load) => load()));
}
