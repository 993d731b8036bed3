import { readFileSync } from "node:fs";
import { describe, expect, expectTypeOf, it } from "vitest";
import type { z } from "zod";
import type { ToolApprovalOption, ToolFillerOptions } from "../tool/define-tool.ts";
import {
  agentJsonSchema,
  agentSchema,
  approvalSchema,
  durationSchema,
  fillerSchema,
  parseDuration,
  toolExampleSchema,
} from "./index.ts";

describe("durations", () => {
  it.each([
    ["300ms", 300],
    ["1.5s", 1500],
    ["2m", 120_000],
    ["1h", 3_600_000],
    [250, 250],
  ])("%s is %d ms", (input, ms) => {
    expect(durationSchema.parse(input)).toBe(ms);
  });

  it.each(["1.5", "fast", "-1s", "2 minutes", "1.5sec"])(
    "%s is refused with the format in the message",
    (input) => {
      const result = durationSchema.safeParse(input);
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.message).toContain('"300ms", "1.5s", "2m"');
    },
  );

  it("refuses negative numbers", () => {
    expect(parseDuration(-5)).toBeUndefined();
    expect(durationSchema.safeParse(-5).success).toBe(false);
  });
});

describe("sub-schemas shared with the scheduler", () => {
  it("filler and approval options of defineTool are the schema's input types", () => {
    expectTypeOf<ToolFillerOptions>().toEqualTypeOf<z.input<typeof fillerSchema>>();
    expectTypeOf<ToolApprovalOption>().toEqualTypeOf<z.input<typeof approvalSchema>>();
    expect(
      fillerSchema.parse({
        after: "1s",
        every: "4s",
        max: 2,
        lines: { en: ["One moment"], fr: ["Un instant"] },
      }),
    ).toEqual({
      after: 1000,
      every: 4000,
      max: 2,
      lines: { en: ["One moment"], fr: ["Un instant"] },
    });
    expect(
      approvalSchema.parse({ when: "args.amount > 100", timeout: "30s", onTimeout: "reject" }),
    ).toEqual({
      when: "args.amount > 100",
      timeout: 30000,
      onTimeout: "reject",
    });
    expect(toolExampleSchema.safeParse({ say: "hi", args: {}, extra: 1 }).success).toBe(false);
  });
});

describe("the editor JSON Schema", () => {
  it("the committed packages/core/schema/agent.schema.json is what the zod schema generates", () => {
    const committed = readFileSync(
      new URL("../../schema/agent.schema.json", import.meta.url),
      "utf8",
    );
    // If this fails after a schema change: node packages/cli/bin/agent.js schema > packages/core/schema/agent.schema.json
    expect(committed).toBe(`${JSON.stringify(agentJsonSchema(), null, 2)}\n`);
  });

  it("the name rule is one rule: editors accept what validate accepts (MyAgent), and refuse what it refuses", () => {
    const pattern = new RegExp(
      (agentJsonSchema() as { properties: { name: { pattern: string } } }).properties.name.pattern,
    );
    for (const name of ["MyAgent", "my-agent", "a1_B"])
      expect([pattern.test(name), agentSchema.shape.name.safeParse(name).success]).toEqual([
        true,
        true,
      ]);
    for (const name of ["-x", "has space", "é"])
      expect([pattern.test(name), agentSchema.shape.name.safeParse(name).success]).toEqual([
        false,
        false,
      ]);
  });

  it("refuses unknown keys and describes durations as strings editors can check", () => {
    const schema = agentJsonSchema() as {
      additionalProperties: unknown;
      required: string[];
      properties: Record<string, { properties?: Record<string, unknown> }>;
    };
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(["name"]);
    expect(JSON.stringify(schema.properties.filler)).toContain("(ms|s|m|h)");
  });
});
