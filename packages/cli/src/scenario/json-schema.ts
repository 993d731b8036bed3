import { z } from "zod";
import { scenarioFileSchema } from "./schema.ts";

/**
 * The editor JSON Schema of scenario files, generated from the zod schema (the file shipped as
 * `@parley/cli/scenario.schema.json` is checked against this by a test).
 *
 * @example
 * writeFileSync("scenario.schema.json", JSON.stringify(scenarioJsonSchema(), null, 2));
 */
export function scenarioJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(scenarioFileSchema, { io: "input", unrepresentable: "any" }),
    title: "Parley scenario file (*.test.yaml)",
  };
}
