import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { AgentFileError, loadAgent } from "../index.ts";

const dir = new URL("../../test/fixtures/broken/", import.meta.url).pathname;
const EXPECT = /expect: (\S+) at (?:(\S+):)?(\d+):(\d+) (\S+) -- (.+?)(?: -- (.+?))?\s*(?:-->)?$/;

interface Expectation {
  code: string;
  file: string;
  line: number;
  col: number;
  path: string;
  message: string;
  hint?: string;
}

/** Each broken file states what must be reported about it, in `expect:` comments: code, place, path, message, hint. */
function expectationsOf(file: string): Expectation[] {
  return readFileSync(join(dir, file), "utf8")
    .split("\n")
    .map((line) => EXPECT.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({
      code: m[1] as string,
      file: join(dir, m[2] ?? file),
      line: Number(m[3]),
      col: Number(m[4]),
      path: m[5] === "-" ? "" : (m[5] as string),
      message: m[6] as string,
      ...(m[7] ? { hint: m[7] } : {}),
    }));
}

const files = readdirSync(dir)
  .filter((f) => /\.agent\.(yaml|md|ts)$/.test(f))
  .sort();

describe("broken agent files", () => {
  it("there are at least 30 of them, each stating what it must produce", () => {
    expect(files.length).toBeGreaterThanOrEqual(30);
    for (const file of files) expect(expectationsOf(file), file).not.toHaveLength(0);
  });

  it.each(files)("%s is rejected with exactly the expected located problems", async (file) => {
    const error = await loadAgent(join(dir, file), { env: {} }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AgentFileError);
    const problems = (error as AgentFileError).problems;
    const wanted = expectationsOf(file);
    const seen = problems.map(
      (p) => `${p.code} ${p.file}:${p.line}:${p.col} ${p.path} | ${p.message} | ${p.hint ?? ""}`,
    );
    for (const want of wanted) {
      const match = problems.find(
        (p) =>
          p.code === want.code &&
          p.file === want.file &&
          p.line === want.line &&
          p.col === want.col &&
          p.path === want.path &&
          p.message.includes(want.message) &&
          (want.hint === undefined || (p.hint ?? "").includes(want.hint)),
      );
      expect(match, `expected ${JSON.stringify(want)}\nbut got:\n${seen.join("\n")}`).toBeDefined();
    }
    // Nothing else: every problem reported is one a reader of the file would agree with.
    expect(problems, seen.join("\n")).toHaveLength(wanted.length);
    expect((error as AgentFileError).code).toBe("agent_file_invalid");
  });
});
