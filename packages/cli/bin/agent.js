#!/usr/bin/env node
// The CLI ships as TypeScript source; tsx's loader is registered in-process (no child process) so start-up stays fast.
// Both of tsx's hooks: the ESM one for our sources, and the CommonJS one for user files Node treats as CommonJS
// (a tools.ts in a folder whose package.json has no "type": "module", as `agent init` creates).
import { register as registerCjs } from "tsx/cjs/api";
import { register } from "tsx/esm/api";

register();
registerCjs();
const { main } = await import("../src/main.ts");
process.exitCode = await main(process.argv.slice(2));
