// The loader reuses a built pack only while the files it read are unchanged on disk.
import { mkdir, mkdtemp, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type LoadedAgent, loadAgent } from "@parley/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testContext } from "../../../test/tool-context.ts";

let dir: string;
let agentFile: string;
let faq: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "parley-knowledge-reload-"));
  agentFile = join(dir, "kb.agent.yaml");
  faq = join(dir, "faq.md");
  await writeFile(
    agentFile,
    [
      "name: kb",
      "instructions: Answer from the FAQ.",
      "tools:",
      '  - use: "@parley/tools/knowledge"',
      "    options: { files: [./faq.md] }",
      "",
    ].join("\n"),
  );
  await writeFile(faq, "# Parking\n\nParking costs 12 euros a night in the garage.\n");
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function search(agent: LoadedAgent, query: string): Promise<string> {
  const tool = agent.tools.find((t) => t.name === "search_knowledge");
  return JSON.stringify(await tool?.run({ query }, testContext().ctx));
}

describe("knowledge files and the pack cache", () => {
  it("reuses the built pack while the files are unchanged, and rebuilds after an edit", async () => {
    const first = await loadAgent(agentFile);
    expect(first.files).toContain(faq);
    expect(await search(first, "parking")).toContain("12 euros");

    const again = await loadAgent(agentFile);
    expect(again.files).toContain(faq); // listed again although the pack was not rebuilt
    expect(again.tools[0]?.run).toBe(first.tools[0]?.run); // reused

    await writeFile(faq, "# Parking\n\nParking is free for guests since November.\n");
    // Same size edits within one mtime tick are told apart by the mtime: move it on to be sure.
    const later = new Date(Date.now() + 5_000);
    await utimes(faq, later, later);
    const edited = await loadAgent(agentFile);
    expect(edited.files).toContain(faq);
    expect(edited.tools[0]?.run).not.toBe(first.tools[0]?.run);
    const answer = await search(edited, "parking");
    expect(answer).toContain("free for guests");
    expect(answer).not.toContain("12 euros");
  });

  it("rebuilds when a file is added to a folder it indexed", async () => {
    const folder = join(dir, "kb");
    await mkdir(folder);
    await writeFile(
      join(folder, "wifi.md"),
      "# Wi-Fi\n\nThe Wi-Fi password is on the card by the door.\n",
    );
    const file = join(dir, "folder.agent.yaml");
    await writeFile(
      file,
      [
        "name: kb-folder",
        "instructions: Answer from the FAQ.",
        "tools:",
        '  - use: "@parley/tools/knowledge"',
        "    options: { files: [./kb] }",
        "",
      ].join("\n"),
    );
    const first = await loadAgent(file);
    expect(await search(first, "breakfast")).not.toContain("7 to 10");
    await writeFile(
      join(folder, "breakfast.md"),
      "# Breakfast\n\nBreakfast is served from 7 to 10.\n",
    );
    const later = new Date(Date.now() + 10_000);
    await utimes(folder, later, later);
    const second = await loadAgent(file);
    expect(second.files).toContain(join(folder, "breakfast.md"));
    expect(await search(second, "breakfast")).toContain("7 to 10");
  });
});
