import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../test/helpers/cli.ts";

const fixtures = join(import.meta.dirname, "../../test/fixtures");
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "parley-test-"));
  cpSync(join(fixtures, "failing"), dir, { recursive: true });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Real processes on a shared machine: generous time, the assertions stay exact.
describe("agent test", { timeout: 120_000 }, () => {
  it("fails failing scenarios with the step, what happened, where, and a transcript excerpt", async () => {
    const { code, stdout } = await runCli(["test", "desk.test.yaml"], { cwd: dir });
    expect(code).toBe(1);
    expect(stdout).toMatch(/✓ desk\.test\.yaml › passes with the mock/);
    expect(stdout).toContain("✗ desk.test.yaml › expects another output than the tool gives");
    expect(stdout).toContain(
      '    step 3: expect_output lookup_booking {"status":"confirmed"}  desk.test.yaml:14:9',
    );
    expect(stdout).toContain(
      `      expected lookup_booking's output to contain {"status":"confirmed"}`,
    );
    expect(stdout).toContain('         it was {"ref":"ABC","status":"cancelled"}');
    expect(stdout).toMatch(
      /transcript:\n.*agent\s+Hello from the desk\.\n.*user\s+look up booking ABC\n.*tool\s+lookup_booking \{"ref":"ABC"\}\n.*tool\s+lookup_booking completed/,
    );
    expect(stdout).toContain('    step 3: expect_filler "Hang on"  desk.test.yaml:20:9');
    expect(stdout).toContain('expected a filler containing "Hang on"; no filler was said');
    expect(stdout).toMatch(/3 scenarios: 1 passed, 2 failed/);
  });

  it("approves and denies, enforces latency budgets, and writes JUnit for CI", async () => {
    // The step timeout is what ends the scenario that never answers its approval; the passing one must fit in it
    // too, step by step, on a busy machine (a process's first events also compile their validators): 6 s, not 1.5.
    const { code, stdout } = await runCli(
      ["test", "approval.test.yaml", "--reporter", "junit", "-o", "junit.xml", "--timeout", "6000"],
      { cwd: dir, timeoutMs: 100_000 },
    );
    expect(code).toBe(1);
    expect(stdout).toMatch(/✓ approval\.test\.yaml › a denied refund is not run/);
    expect(stdout).toMatch(
      /the answer came [\d.]+ (ms|s) after the user's input, over the 100 ms budget/,
    );
    const xml = readFileSync(join(dir, "junit.xml"), "utf8");
    expect(xml).toContain('<testsuite name="approval.test.yaml" tests="3" failures="2"');
    // A scenario that never answers an approval fails with what to do, instead of hanging.
    expect(stdout).toContain(
      "the previous turn never ended: refund still waits for approval (add an approve or deny step)",
    );
    expect(xml).toMatch(/<failure message="step 3 \(expect_say &quot;ABC&quot;\): the answer came/);
    expect(xml).toContain("approval: refund denied");
  });

  it("runs against any server with --url, where the model's own choices are checked", async () => {
    const { startLocalRealtime } = await import("@parley/local-realtime");
    const server = await startLocalRealtime({ pace: 0 }); // the rules model: it decides by the tools' examples
    try {
      const { code, stdout } = await runCli(["test", "model.test.yaml", "--url", server.url], {
        cwd: dir,
      });
      expect(code).toBe(1);
      expect(stdout).toMatch(/✓ model\.test\.yaml › the model looks the booking up/);
      expect(stdout).toContain("✗ model.test.yaml › the model calls another tool than expected");
      expect(stdout).toContain('      expected a call to refund with {"amount":40}');
      expect(stdout).toContain('         but it called lookup_booking with {"ref":"ABC"}');
    } finally {
      await server.close();
    }
  });

  it("reports every problem in invalid scenario files before running anything", async () => {
    writeFileSync(
      join(dir, "bad.test.yaml"),
      "scenarios:\n  - name: x\n    steps:\n      - usr: hi\n      - expect_tool: lookup\n        within: soon\n",
    );
    const { code, stdout, stderr } = await runCli(["test", "bad.test.yaml", "desk.test.yaml"], {
      cwd: dir,
    });
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toContain("bad.test.yaml:4:9");
    expect(stderr).toContain("(did you mean user?)");
    expect(stderr).toContain("bad.test.yaml:6:17");
    expect(stderr).toContain("2 problems in scenario files; nothing was run");
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it("says when --grep selects nothing", async () => {
    const { code, stderr } = await runCli(["test", "desk.test.yaml", "-g", "nothing like this"], {
      cwd: dir,
    });
    expect(code).toBe(2);
    expect(stderr).toBe(
      'error[usage]: no scenario name contains "nothing like this" (case ignored)\n',
    );
  });

  it("needs an API key for --live, and says so without running anything", async () => {
    const { code, stdout, stderr } = await runCli(["test", "--live", "desk.test.yaml"], {
      cwd: dir,
    });
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toBe("error[missing_api_key]: --live needs OPENAI_API_KEY in the environment\n");
  });

  it("reports an --output it cannot write as an error, not a stack trace", async () => {
    const { code, stderr } = await runCli(
      ["test", "desk.test.yaml", "--grep", "passes with the mock", "-o", "no/such/dir/r.txt"],
      { cwd: dir },
    );
    expect(code).toBe(1);
    expect(stderr).toBe(
      "error[output_failed]: --output no/such/dir/r.txt: could not write the report (ENOENT)\n",
    );
  });

  it("says which tool a mock names that the agent lacks", async () => {
    writeFileSync(
      join(dir, "mock.test.yaml"),
      "agent: ./desk.agent.yaml\nmocks:\n  lookup: { output: 1 }\nscenarios:\n  - name: m\n    steps:\n      - user: hi\n",
    );
    const { code, stdout } = await runCli(["test", "mock.test.yaml"], { cwd: dir });
    expect(code).toBe(1);
    expect(stdout).toContain(
      'mocks name "lookup", but desk has no such tool (tools: lookup_booking, refund)',
    );
  });
});
