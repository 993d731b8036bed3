import type { Command } from "commander";
import { examples } from "./help.ts";
import type { RegisterCommand } from "./index.ts";

/** `agent schema`: prints the JSON Schema of agent files (for editors and other tools). */
export const registerSchema: RegisterCommand = (program: Command) => {
  program
    .command("schema")
    .description("print the JSON Schema of agent files")
    .addHelpText(
      "after",
      examples(
        ["agent schema > agent.schema.json", "save the schema for an editor or CI"],
        ["agent schema | jq '.properties | keys'", "the top-level keys an agent file may have"],
      ),
    )
    .action(async () => {
      const { agentJsonSchema } = await import("@parley/core");
      process.stdout.write(`${JSON.stringify(agentJsonSchema(), null, 2)}\n`);
    });
};
