import type { Command } from "commander";
import type { RegisterCommand } from "./index.ts";

/** `agent schema`: prints the JSON Schema of agent files (for editors and other tools). */
export const registerSchema: RegisterCommand = (program: Command) => {
  program
    .command("schema")
    .description("print the JSON Schema of agent files")
    .action(async () => {
      const { agentJsonSchema } = await import("@parley/core");
      process.stdout.write(`${JSON.stringify(agentJsonSchema(), null, 2)}\n`);
    });
};
