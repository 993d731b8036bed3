import type { Command } from "commander";

/**
 * Every `agent` sub-command lives in its own file under commands/ and registers itself here.
 * A register function adds its command to the program; its action sets `process.exitCode`
 * (0 ok, 1 the input is invalid or a test failed, 2 usage) and never lets a ParleyError reach the top as a stack trace.
 */
export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [];

commands.push((await import("./init.ts")).registerInit);
commands.push((await import("./dev.ts")).registerDev);
commands.push((await import("./test.ts")).registerTest);
commands.push((await import("./validate.ts")).registerValidate);
commands.push((await import("./compile.ts")).registerCompile);
commands.push((await import("./schema.ts")).registerSchema);
commands.push((await import("./tools.ts")).registerTools);
commands.push((await import("./sim.ts")).registerSim);
commands.push((await import("./serve.ts")).registerServe);
