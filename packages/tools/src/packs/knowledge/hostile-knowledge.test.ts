import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { instantiateToolPack } from "@parley/core";
import { afterAll, describe, expect, it } from "vitest";
import knowledgePack from "./index.ts";
import { parseHeading, splitPassages } from "./passages.ts";

const dir = mkdtempSync(join(tmpdir(), "parley-knowledge-hostile-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("hostile knowledge files", () => {
  it("a 10 KB heading line of spaces and hashes splits at once (the old regex took minutes)", () => {
    // The one-regex heading parser needed 48 s for 6 KB of this shape (cubic backtracking).
    const line = `#${" ".repeat(3300)}#a${" ".repeat(3300)}#${" ".repeat(3300)}b`;
    expect(parseHeading(line)?.title).toMatch(/^#a +# +b$/);
    const [passage] = splitPassages(`${line}\nbody text\n`, "x.md");
    expect(passage?.text).toContain("body text");
  });

  it("headings parse as before: closing hashes and trailing spaces dropped", () => {
    expect(parseHeading("## Returns ##  ")).toEqual({ level: 2, title: "Returns" });
    expect(parseHeading("### C# tips")).toEqual({ level: 3, title: "C# tips" });
    expect(parseHeading("####### seven")).toBeUndefined();
    expect(parseHeading("#no space")).toBeUndefined();
  });

  it("a FIFO named as a knowledge entry is refused, not read forever", async () => {
    const fifo = join(dir, "pipe.md");
    execFileSync("mkfifo", [fifo]);
    await expect(
      instantiateToolPack(
        knowledgePack,
        { files: ["pipe.md"] },
        { baseDir: dir, addFile: () => {} },
      ),
    ).rejects.toMatchObject({ code: "knowledge_not_a_file" });
  });

  it("a FIFO inside a knowledge folder is skipped", async () => {
    const folder = join(dir, "docs");
    execFileSync("mkdir", ["-p", folder]);
    writeFileSync(join(folder, "hours.md"), "# Hours\nWe open at nine.\n");
    execFileSync("mkfifo", [join(folder, "stuck.md")]);
    const [tool] = await instantiateToolPack(
      knowledgePack,
      { files: ["docs"] },
      { baseDir: dir, addFile: () => {} },
    );
    expect(tool?.name).toBe("search_knowledge");
  });
});
