import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { instantiateToolPack, type ToolDefinition } from "@parley/core";
import { describe, expect, it } from "vitest";
import { testContext } from "../../../test/tool-context.ts";
import knowledgePack from "./index.ts";
import { splitPassages } from "./passages.ts";

const baseDir = fileURLToPath(new URL("../../../test/fixtures", import.meta.url));

async function searchTool(files = ["knowledge/faq.md", "knowledge/policies"]) {
  const seen: string[] = [];
  const [tool] = await instantiateToolPack(
    knowledgePack,
    { files },
    { baseDir, addFile: (f) => seen.push(f) },
  );
  return { tool: tool as ToolDefinition, seen };
}

type Result = {
  passages: { text: string; title: string; source: string; score: number }[];
  note?: string;
};

async function ask(tool: ToolDefinition, query: string): Promise<Result> {
  return (await tool.run({ query }, testContext().ctx)) as Result;
}

describe("search_knowledge", () => {
  it("ranks the passage that answers the question first, with its source", async () => {
    const { tool } = await searchTool();
    const out = await ask(tool, "what are your opening hours on sunday");
    expect(out.passages[0]?.title).toBe(
      "Harbour Bistro — Frequently asked questions › Opening hours",
    );
    expect(out.passages[0]?.text).toContain("Tuesday to Sunday");
    expect(out.passages[0]?.source).toBe("knowledge/faq.md:5");
  });

  it("searches folders recursively and finds answers in any file", async () => {
    const { tool, seen } = await searchTool();
    const refund = await ask(tool, "refund of my deposit");
    expect(refund.passages[0]?.source).toBe("knowledge/policies/cancellation.md:9");
    const wifi = await ask(tool, "wifi password");
    expect(wifi.passages[0]?.source).toBe("knowledge/policies/notes.txt:1");
    expect(seen.map((f) => f.slice(baseDir.length + 1)).sort()).toEqual([
      "knowledge/faq.md",
      "knowledge/policies/cancellation.md",
      "knowledge/policies/notes.txt",
    ]);
  });

  it("splits FAQs into one passage per question", async () => {
    const { tool } = await searchTool();
    const out = await ask(tool, "gluten free");
    expect(out.passages[0]?.text).toMatch(/^Q: Can you cook gluten-free\?/);
    expect(out.passages[0]?.text).not.toContain("vegetarian");
  });

  it("tolerates typos and word prefixes", async () => {
    const { tool } = await searchTool();
    expect((await ask(tool, "parkng")).passages[0]?.title).toMatch(/Parking$/);
    expect((await ask(tool, "vegetar")).passages[0]?.text).toContain("vegetarian");
  });

  it("returns no passages and says so when nothing matches", async () => {
    const { tool } = await searchTool();
    const out = await ask(tool, "helicopter landing pad");
    expect(out.passages).toEqual([]);
    expect(out.note).toMatch(/don't know/);
  });

  it("fails to load with a clear error when a file is missing", async () => {
    await expect(searchTool(["knowledge/nope.md"])).rejects.toMatchObject({
      code: "knowledge_file_missing",
      message: expect.stringContaining("knowledge/nope.md"),
    });
  });
});

describe("splitPassages", () => {
  it("cuts a long section at paragraph breaks, each passage keeping its title and first line", () => {
    const paragraph = (n: number) => `Paragraph ${n}. ${"Lorem ipsum dolor sit amet. ".repeat(10)}`;
    const md = `## Long\n\n${[1, 2, 3, 4].map(paragraph).join("\n\n")}\n`;
    const passages = splitPassages(md, "long.md", 300); // each paragraph is ~290 characters
    expect(passages.length).toBe(4);
    expect(passages.every((p) => p.title === "Long" && p.text.length <= 300)).toBe(true);
    expect(passages.map((p) => p.line)).toEqual([3, 5, 7, 9]);
  });

  it("keeps headings as titles and ignores '#' inside code fences", () => {
    const md = "# A\n\ntext a\n\n```sh\n# not a heading\n```\n\n## B\n\ntext b\n";
    const passages = splitPassages(md, "x.md");
    expect(passages.map((p) => [p.title, p.line])).toEqual([
      ["A", 3],
      ["A › B", 11],
    ]);
    expect(passages[0]?.text).toContain("# not a heading");
  });
});

describe("knowledge files are confined to the agent's folder", () => {
  const fail = (files: string[], options: Record<string, unknown> = {}) =>
    instantiateToolPack(knowledgePack, { files, ...options }, { baseDir }).then(
      () => undefined,
      (error: { code?: string }) => error.code,
    );

  it("refuses ../, absolute paths elsewhere, /proc and symlinks that lead out", async () => {
    const dir = mkdtempSync(join(tmpdir(), "parley-knowledge-"));
    writeFileSync(join(dir, "secret.md"), "# Keys\nAPI key: sk-do-not-index\n");
    const agent = mkdtempSync(join(tmpdir(), "parley-agent-"));
    symlinkSync(join(dir, "secret.md"), join(agent, "leak.md"));
    try {
      expect(await fail(["../fixtures/knowledge/faq.md"])).toBeUndefined(); // leaves and comes back: inside
      expect(await fail(["../../package.json"])).toBe("knowledge_outside_folder");
      expect(await fail([join(dir, "secret.md")])).toBe("knowledge_outside_folder");
      expect(await fail(["/etc/passwd"])).toBe("knowledge_outside_folder");
      expect(await fail(["/proc/self/environ"])).toBe("knowledge_outside_folder");
      const linked = await instantiateToolPack(
        knowledgePack,
        { files: ["leak.md"] },
        { baseDir: agent },
      ).then(
        () => undefined,
        (error: { code?: string }) => error.code,
      );
      expect(linked).toBe("knowledge_outside_folder");
      // An explicit allowlist opens a folder outside.
      expect(await fail([join(dir, "secret.md")], { allow: [dir] })).toBeUndefined();
    } finally {
      rmSync(agent, { recursive: true });
      rmSync(dir, { recursive: true });
    }
  });

  it.skipIf(process.platform === "win32")(
    "refuses special files instead of blocking on them (a FIFO given as a file), and skips them in folders",
    async () => {
      const dir = mkdtempSync(join(tmpdir(), "parley-knowledge-"));
      writeFileSync(join(dir, "faq.md"), "# Hours\nOpen daily.\n");
      execFileSync("mkfifo", [join(dir, "pipe.md")]);
      try {
        const inside = (files: string[]) =>
          instantiateToolPack(knowledgePack, { files }, { baseDir: dir }).then(
            () => "ok",
            (error: { code?: string }) => error.code,
          );
        expect(await inside(["pipe.md"])).toBe("knowledge_not_a_file");
        expect(await inside(["."])).toBe("ok");
      } finally {
        rmSync(dir, { recursive: true });
      }
    },
  );
});
