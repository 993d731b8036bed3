import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { agentSchema } from "../schema/agent.ts";
import { parseOptions } from "./parse-options.ts";

const broken = new URL("../../test/fixtures/broken/", import.meta.url).pathname;
const valid = new URL("../../test/fixtures/valid/", import.meta.url).pathname;
const agents = new URL("../../../../agents/", import.meta.url).pathname;

/** Every YAML agent of the fixtures and the examples, parsed as YAML (the ones YAML itself refuses skipped). */
function rawAgents(): { file: string; raw: unknown }[] {
  const files = [
    ...readdirSync(broken).map((f) => join(broken, f)),
    ...readdirSync(valid, { recursive: true, encoding: "utf8" }).map((f) => join(valid, f)),
    ...readdirSync(agents, { recursive: true, encoding: "utf8" }).map((f) => join(agents, f)),
  ].filter((f) => /\.ya?ml$/.test(f));
  const out: { file: string; raw: unknown }[] = [];
  for (const file of files) {
    try {
      out.push({ file, raw: parse(readFileSync(file, "utf8"), { maxAliasCount: 100 }) });
    } catch {
      // not YAML: the loader's own tests cover those
    }
  }
  return out;
}

describe("parseOptions", () => {
  it("skips zod's compiled fast path for a process's first 50 parses only", () => {
    const first = Array.from({ length: 50 }, () => parseOptions());
    expect(first.every((o) => o?.jitless === true)).toBe(true);
    expect(parseOptions()).toBeUndefined();
    expect(parseOptions()).toBeUndefined();
  });

  it("gives the same data and the same problems with and without the fast path", () => {
    const cases = rawAgents();
    expect(cases.length).toBeGreaterThan(40);
    let invalid = 0;
    for (const { file, raw } of cases) {
      const jitless = agentSchema.safeParse(raw, { jitless: true });
      const compiled = agentSchema.safeParse(raw);
      expect(compiled, file).toEqual(jitless);
      if (!jitless.success) invalid++;
    }
    // Both outcomes are compared, not only successes.
    expect(invalid).toBeGreaterThan(5);
  });
});
