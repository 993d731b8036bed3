import { agentJsonSchema } from "./packages/core/src/index.ts";
process.stdout.write(JSON.stringify(agentJsonSchema(), null, 2) + "\n");
