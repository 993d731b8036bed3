// The agent shown in the README is real: it loads, beside the concierge's handlers, without a problem.
import { readFileSync } from "node:fs";
import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadAgent } from "./index.ts";

const root = new URL("../../../../", import.meta.url).pathname;

describe("README.md", () => {
  it("shows an agent file that loads", async () => {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    const yaml = /## An agent\n\n```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(yaml, "the README has an agent under '## An agent'").toBeDefined();
    const dir = await mkdtemp(join(root, "agents", ".readme-"));
    try {
      await cp(join(root, "agents/hotel-concierge/tools"), join(dir, "tools"), { recursive: true });
      const file = join(dir, "readme.agent.yaml");
      await writeFile(file, yaml as string);
      const agent = await loadAgent(file);
      expect(agent.tools.map((t) => t.name)).toContain("book_room");
      expect(agent.warnings).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
