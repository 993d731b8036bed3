import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { scenarioJsonSchema } from "./json-schema.ts";

describe("the scenario JSON Schema shipped for editors", () => {
  it("is generated from the zod schema (regenerate: pnpm --filter @parley/cli schema:scenario)", () => {
    const shipped = JSON.parse(
      readFileSync(join(import.meta.dirname, "../../schema/scenario.schema.json"), "utf8"),
    );
    expect(shipped).toEqual(scenarioJsonSchema());
  });

  it("describes every step action", () => {
    const text = JSON.stringify(scenarioJsonSchema());
    for (const key of [
      "user",
      "image",
      "expect_tool",
      "expect_filler",
      "approve",
      "deny",
      "expect_say",
      "expect_no_tool",
    ]) {
      expect(text).toContain(`"${key}"`);
    }
  });
});
