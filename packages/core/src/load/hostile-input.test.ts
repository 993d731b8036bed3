import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { AgentFileError, loadAgent } from "../index.ts";
import { didYouMean } from "./did-you-mean.ts";
import { LOAD_LIMITS } from "./limits.ts";
import type { Problem } from "./problem.ts";

// Inputs too big or too special to keep as fixture files are made here; the small hostile ones (alias cycle,
// alias bomb, __proto__, a 900-deep condition, handler: /dev/zero) are in test/fixtures/broken.
const dir = mkdtempSync(join(tmpdir(), "parley-hostile-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const styles = new URL("../../test/fixtures/valid/styles/", import.meta.url).pathname;

async function problemsOf(file: string): Promise<Problem[]> {
  const error = await loadAgent(file, { env: {} }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AgentFileError);
  return (error as AgentFileError).problems;
}

function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe("agent files too big for their own good", () => {
  it("100,000 keys are refused before parsing, not checked pairwise for minutes", async () => {
    let text = "name: wide\ninstructions: Help.\nvariables:\n";
    for (let i = 0; i < 100_000; i++) text += ` k${i.toString(36)}: 1\n`;
    expect(text.length).toBeLessThan(LOAD_LIMITS.fileBytes);
    const [problem, ...rest] = await problemsOf(write("wide.agent.yaml", text));
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({ code: "file_too_complex", line: LOAD_LIMITS.entries + 1 });
  });

  it("a 20 MB file is refused before it is read", async () => {
    const file = write("huge.agent.yaml", `name: huge\nmodel: ${"x".repeat(20_000_000)}\n`);
    const [problem] = await problemsOf(file);
    expect(problem).toMatchObject({ code: "file_too_large", file, line: 1, col: 1 });
  });

  it("a long model name under the file bound gets no did-you-mean search over it", async () => {
    const model = `gpt-${"x".repeat(900_000)}`;
    expect(didYouMean(model, ["gpt-realtime", "gpt-realtime-mini"])).toBeUndefined();
    const agent = await loadAgent(
      write("long.agent.yaml", `name: long\ninstructions: Hi.\nmodel: ${model}\n`),
    );
    expect(agent.config.model).toBe(model);
  });

  it("thousands of nested brackets are a located error, not an out-of-memory crash", async () => {
    const file = write(
      "deep.agent.yaml",
      `name: deep\ninstructions: Hi.\nmetadata: ${"[".repeat(10_000)}${"]".repeat(10_000)}\n`,
    );
    const [problem] = await problemsOf(file);
    expect(problem).toMatchObject({ code: "file_too_deep", line: 3 });
  });

  it("20,001 values from aliases under the entry bound are refused at the value bound", async () => {
    const keys = Array.from({ length: 2_001 }, (_, i) => `k${i}: *ten`);
    const ten = "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]";
    const text = `name: wide\ninstructions: Hi.\nx: &ten ${ten}\nvariables: { ${keys.join(", ")} }\n`;
    const [problem] = await problemsOf(write("flow.agent.yaml", text));
    expect(problem?.code).toBe("file_too_complex");
  });

  it("block mappings nested past the depth bound are a located error", async () => {
    let text = "name: nested\ninstructions: Hi.\nmetadata:\n";
    for (let i = 1; i <= 100; i++) text += `${" ".repeat(i)}k:\n`;
    const [problem] = await problemsOf(write("nested.agent.yaml", text));
    expect(problem?.code).toBe("file_too_deep");
  });
});

describe("agent files that are not regular files", () => {
  it("a FIFO is refused at once (opening it would wait for a writer forever)", async () => {
    const fifo = join(dir, "pipe.agent.yaml");
    execFileSync("mkfifo", [fifo]);
    const [problem] = await problemsOf(fifo);
    expect(problem).toMatchObject({ code: "not_a_file", file: fifo, line: 1, col: 1 });
  });

  it("a base that is a FIFO is refused too", async () => {
    const fifo = join(dir, "base-pipe.yaml");
    execFileSync("mkfifo", [fifo]);
    const file = write(
      "child.agent.yaml",
      "name: child\ninstructions: Hi.\nextends: ./base-pipe.yaml\n",
    );
    const problems = await problemsOf(file);
    expect(problems.map((p) => p.code)).toContain("not_a_file");
  });
});

describe("text encodings editors produce", () => {
  it("a UTF-8 byte-order mark does not hide an .agent.md's front matter", async () => {
    const md = readFileSync(join(styles, "front-desk.agent.md"), "utf8");
    const file = join(styles, "..", "..", "..", "..", "test-bom.tmp.agent.md");
    writeFileSync(file, `\uFEFF${md.replace("../../shared/", "./test/fixtures/shared/")}`);
    try {
      const agent = await loadAgent(file);
      expect(agent.name).toBe("front-desk");
      expect(agent.config.instructions).toContain("Help guests");
    } finally {
      rmSync(file);
    }
  });

  it("a byte-order mark and CRLF line ends in YAML load as the plain file does", async () => {
    const file = write(
      "crlf.agent.yaml",
      "\uFEFFname: crlf\r\ninstructions: Hi.\r\nvoice: cedar\r\n",
    );
    const agent = await loadAgent(file);
    expect(agent.config.voice).toBe("cedar");
  });
});
