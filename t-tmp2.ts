import { compileSession, loadAgent } from "./packages/core/src/index.ts";
const f = process.argv[2]!;
for (let i = 0; i < 3000; i++) compileSession(await loadAgent(f, { env: { HELPDESK_MCP_TOKEN: "x" } }));
