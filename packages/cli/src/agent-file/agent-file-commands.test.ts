import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = new URL("../../../../", import.meta.url).pathname;
const broken = "packages/core/test/fixtures/broken";

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real `agent` binary from the repository root, without colours and without the examples' secrets. */
function agent(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const clean: Record<string, string | undefined> = {
    ...process.env,
    NO_COLOR: "1",
    FORCE_COLOR: "0",
    ...env,
  };
  if (!("HELPDESK_MCP_TOKEN" in env)) delete clean.HELPDESK_MCP_TOKEN;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(root, "packages/cli/bin/agent.js"), ...args],
      { cwd: root, env: clean },
      (error, stdout, stderr) => {
        resolve({
          code: typeof error?.code === "number" ? error.code : error ? 1 : 0,
          stdout,
          stderr,
        });
      },
    );
  });
}

const noStackTrace = (run: Run) =>
  expect(`${run.stdout}${run.stderr}`).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);

describe("agent validate", () => {
  it("passes every example agent out of the box, warning about secrets that are not set", async () => {
    const run = await agent(["validate", "agents/"]);
    expect(run.code).toBe(0);
    for (const file of [
      "hotel-concierge/concierge.agent.yaml",
      "support/support.agent.md",
      "support/billing.agent.md",
      "order-desk/order-desk.agent.ts",
    ]) {
      expect(run.stdout).toContain(`✓ agents/${file}`);
    }
    expect(run.stdout).toContain("warning[missing_env] agents/support/support.agent.md:14:20");
    // Phone calls leave out the turn-detection fields the SIP accept endpoint refuses; validate says where they are.
    expect(run.stdout).toContain("warning[sip_refused_field] agents/support/house-style.yaml:22:7");
    expect(run.stdout).toContain("agent files valid");
  });

  it("with --strict-env, an unset secret makes the file invalid", async () => {
    const run = await agent(["validate", "--strict-env", "agents/support/support.agent.md"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("error[missing_env] agents/support/support.agent.md:14:20");
  });

  it("reports every problem of a broken file with place, hint and a code frame, and exits 1", async () => {
    const run = await agent([
      "validate",
      `${broken}/many-problems.agent.yaml`,
      `${broken}/unknown-voice.agent.yaml`,
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      `error[invalid_value] ${broken}/many-problems.agent.yaml:2:8  voice`,
    );
    expect(run.stdout).toContain(
      `error[invalid_value] ${broken}/many-problems.agent.yaml:3:9  output`,
    );
    expect(run.stdout).toContain(
      `error[handler_missing_file] ${broken}/many-problems.agent.yaml:7:14  tools[0].handler`,
    );
    expect(run.stdout).toContain('did you mean "marin"?');
    expect(run.stdout).toMatch(/> 2 \| voice: marine\n\s+\| {8}\^/);
    expect(run.stdout).toContain("2 of 2 agent files invalid");
    noStackTrace(run);
  });

  it("never prints a credential found in a file", async () => {
    const run = await agent(["validate", `${broken}/literal-secret.agent.yaml`]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("error[literal_secret]");
    expect(run.stdout).not.toContain("abc123verysecret");
  });

  it("--json gives the same findings as data", async () => {
    const run = await agent([
      "validate",
      "--json",
      `${broken}/unknown-key.agent.yaml`,
      "agents/hotel-concierge",
    ]);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.ok).toBe(false);
    expect(report.files).toHaveLength(2);
    expect(report.files[1]).toMatchObject({ ok: true, name: "hotel-concierge" });
    expect(report.files[0].problems).toEqual([
      expect.objectContaining({
        code: "unknown_key",
        line: 2,
        col: 1,
        path: "instrucions",
        hint: 'did you mean "instructions"?',
      }),
    ]);
  });

  it("with no path checks the current folder, skipping test fixtures (the repository root passes)", async () => {
    const run = await agent(["validate"]);
    expect(run.stdout).toContain("✓ agents/hotel-concierge/concierge.agent.yaml");
    expect(run.stdout).not.toContain("fixtures");
    expect(run.code).toBe(0);
  });

  it("exits 2 on a path that does not exist", async () => {
    const missing = await agent(["validate", "agents/nope"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("no such file or folder: agents/nope");
  });
});

describe("agent compile", () => {
  it("prints the session.update event with the given variables", async () => {
    const run = await agent([
      "compile",
      "agents/hotel-concierge/concierge.agent.yaml",
      "--var",
      "hotel_name=Casa Azul",
    ]);
    expect(run.code).toBe(0);
    const event = JSON.parse(run.stdout);
    expect(event.type).toBe("session.update");
    expect(event.session.instructions).toContain("You answer the phone for Casa Azul");
  });

  it("redacts secrets from the printed JSON", async () => {
    const run = await agent(["compile", "agents/support/support.agent.md"], {
      HELPDESK_MCP_TOKEN: "sk-live-abcdefghijklmnop",
    });
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain("sk-live-abcdefghijklmnop");
    expect(
      JSON.parse(run.stdout).session.tools.find((t: { type: string }) => t.type === "mcp")
        .authorization,
    ).toBe("[redacted]");
  });

  it("prints the client-secret body with --target client-secret", async () => {
    const run = await agent([
      "compile",
      "agents/order-desk/order-desk.agent.ts",
      "--target",
      "client-secret",
    ]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      expires_after: { anchor: "created_at", seconds: 600 },
      session: { type: "realtime" },
    });
  });

  it("refuses an undeclared variable (exit 1) and a malformed --var (exit 2), without a stack trace", async () => {
    const undeclared = await agent([
      "compile",
      "agents/hotel-concierge/concierge.agent.yaml",
      "--var",
      "hotel=x",
    ]);
    expect(undeclared.code).toBe(1);
    expect(undeclared.stderr).toContain('variable "hotel" is not declared');
    noStackTrace(undeclared);
    expect(
      (await agent(["compile", "agents/hotel-concierge/concierge.agent.yaml", "--var", "oops"]))
        .code,
    ).toBe(2);
  });
});

describe("agent schema", () => {
  it("prints the committed JSON Schema", async () => {
    const run = await agent(["schema"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      readFileSync(join(root, "packages/core/schema/agent.schema.json"), "utf8"),
    );
  });
});

describe("import errors of an agent's TypeScript, located in it", () => {
  const dir = "packages/cli/test/fixtures/import-errors";
  it("a syntax error in an .agent.ts or a handler: esbuild's message at its file:line:col; a throw at its line", async () => {
    const run = await agent([
      "validate",
      "--json",
      `${dir}/ts-syntax-error.agent.ts`,
      `${dir}/ts-throws.agent.ts`,
      `${dir}/handler-syntax-error.agent.yaml`,
    ]);
    expect(run.code).toBe(1);
    const problems = (JSON.parse(run.stdout) as { files: { problems: unknown[] }[] }).files.map(
      (f) => f.problems,
    );
    expect(problems).toEqual([
      [
        expect.objectContaining({
          code: "syntax_error",
          message: 'Unexpected ","',
          file: join(root, dir, "ts-syntax-error.agent.ts"),
          line: 4,
          col: 23,
        }),
      ],
      [
        expect.objectContaining({
          code: "import_threw",
          message: "threw while being imported: config not ready",
          file: join(root, dir, "ts-throws.agent.ts"),
          line: 3,
          col: 19,
        }),
      ],
      [
        expect.objectContaining({
          code: "syntax_error",
          message: 'Expected "}" but found ";"',
          file: join(root, dir, "handlers/syntax-error.ts"),
          line: 2,
          col: 36,
          hint: "imported by ./handlers/syntax-error.ts",
        }),
      ],
    ]);
    const text = await agent(["validate", `${dir}/ts-syntax-error.agent.ts`]);
    expect(text.stdout).toContain(`error[syntax_error] ${dir}/ts-syntax-error.agent.ts:4:23`);
    expect(text.stdout).not.toContain("Transform failed");
    noStackTrace(text);
  });
});
