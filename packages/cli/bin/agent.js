#!/usr/bin/env node
// The CLI ships as TypeScript source; tsx's loader is registered in-process (no child process) so start-up stays fast.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/main.ts");
process.exitCode = await main(process.argv.slice(2));
