import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { agentSchema } from "./agent.ts";
import { agentFieldPaths } from "./fields.ts";

const doc = readFileSync(new URL("../../../../docs/agent-file.md", import.meta.url), "utf8");
const headings = [...doc.matchAll(/^### `([^`]+)`$/gm)].map((m) => m[1] as string);
// "`tools[].filler.*` has the same fields as `filler.*`": one line documents a repeated shape.
const sameAs = [...doc.matchAll(/`([^`]+)\.\*` has the same fields as `([^`]+)\.\*`/g)].map(
  (m) => ({ prefix: m[1] as string, as: m[2] as string }),
);
const fields = agentFieldPaths();

describe("docs/agent-file.md", () => {
  it("documents every field of the schema", () => {
    const documented = (path: string): boolean =>
      headings.includes(path) ||
      sameAs.some(
        ({ prefix, as }) =>
          path.startsWith(`${prefix}.`) && documented(`${as}.${path.slice(prefix.length + 1)}`),
      );
    expect(fields.filter((f) => !documented(f))).toEqual([]);
  });

  it("documents no field that does not exist", () => {
    expect(headings.filter((h) => !fields.includes(h))).toEqual([]);
    for (const { prefix, as } of sameAs) {
      expect(
        fields.some((f) => f.startsWith(`${prefix}.`)),
        prefix,
      ).toBe(true);
      expect(
        fields.some((f) => f.startsWith(`${as}.`)),
        as,
      ).toBe(true);
    }
  });

  it("every YAML example is a valid agent file (or fragment of one)", () => {
    const blocks = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] as string);
    expect(blocks.length).toBeGreaterThan(30);
    for (const block of blocks) {
      // The loader interpolates ${env:…} before the schema sees a value; do the same with stand-ins.
      const text = block
        .replace(/\$\{env:\w+:-([^}]*)\}/g, "$1")
        .replace(/\$\{env:\w+\}/g, "stand-in");
      const value = parse(text, { version: "1.2" }) as Record<string, unknown>;
      const result = agentSchema.safeParse({ name: "docs-example", ...value });
      expect(result.error?.issues ?? [], block).toEqual([]);
    }
  });
});
