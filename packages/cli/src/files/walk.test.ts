import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { findAgentFiles } from "../agent-file/find-agent-files.ts";
import { findScenarioFiles } from "../scenario/discover.ts";
import { findFilesUnder } from "./walk.ts";

const repo = join(import.meta.dirname, "../../../..");
const dir = mkdtempSync(join(tmpdir(), "parley-walk-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function touch(path: string, text = ""): void {
  mkdirSync(join(dir, path, ".."), { recursive: true });
  writeFileSync(join(dir, path), text);
}

describe("the file walker agent validate and agent test share", () => {
  it("skips fixtures, node_modules, dot folders and what .gitignore files ignore", () => {
    touch("a/one.agent.yaml");
    touch("a/test/fixtures/broken.agent.yaml");
    touch("node_modules/pkg/x.agent.yaml");
    touch(".hidden/y.agent.yaml");
    touch(".gitignore", "generated/\n*.local.agent.yaml\n");
    touch("generated/z.agent.yaml");
    touch("b/mine.local.agent.yaml");
    touch("b/.gitignore", "old.agent.yaml\n");
    touch("b/old.agent.yaml");
    touch("b/kept.agent.yaml");
    const found = findFilesUnder(dir, /\.agent\.yaml$/).map((f) => relative(dir, f));
    expect(found).toEqual(["a/one.agent.yaml", "b/kept.agent.yaml"]);
  });

  it("from the repository root, finds the example agents and scenarios and no test fixture", async () => {
    const agents = findAgentFiles([repo]).map((f) => relative(repo, f));
    const scenarios = (await findScenarioFiles([repo])).map((f) => relative(repo, f));
    expect(agents).toContain("agents/hotel-concierge/concierge.agent.yaml");
    expect(scenarios).toContain("agents/hotel-concierge/concierge.test.yaml");
    for (const file of [...agents, ...scenarios]) expect(file).not.toMatch(/fixtures|node_modules/);
  });
});
