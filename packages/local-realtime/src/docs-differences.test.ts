// Keeps the "Differences from the real API" table of docs/local-realtime.md current: every row names a test that
// pins the local behaviour it states, and that test must still exist under that name.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../../..");
const doc = readFileSync(join(root, "docs/local-realtime.md"), "utf8");

function rows(): Array<{ n: string; status: string; file: string; test: string }> {
  const section = doc.split("## Differences from the real API")[1]?.split("\n## ")[0] ?? "";
  return section
    .split("\n")
    .filter((line) => /^\| \d+ \|/.test(line))
    .map((line) => {
      const cells = line.split(" | ").map((c) => c.replace(/^\|\s*|\s*\|$/g, "").trim());
      const [, file = "", test = ""] = /^`([^`]+)` › (.+)$/.exec(cells.at(-1) ?? "") ?? [];
      return { n: cells[0] as string, status: cells.at(-2) as string, file, test };
    });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

describe("docs/local-realtime.md, Differences from the real API", () => {
  it("lists at least the issue's fidelity items, each with a status and a test that exists", () => {
    const table = rows();
    expect(table.length).toBeGreaterThanOrEqual(15);
    for (const row of table) {
      expect(row.status, `row ${row.n}`).toMatch(/^(matched|differs)\b/);
      expect(row.file, `row ${row.n} names no test file`).not.toBe("");
      const source = readFileSync(join(root, row.file), "utf8");
      expect(
        new RegExp(`\\bit\\(\\s*"${escapeRegExp(row.test)}"`).test(source),
        `row ${row.n}: no test "${row.test}" in ${row.file}`,
      ).toBe(true);
    }
  });
});
