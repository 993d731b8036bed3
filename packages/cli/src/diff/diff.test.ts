import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { testEnv } from "../../test/helpers/cli.ts";
import { type DiffOptions, runDiff } from "./run-diff.ts";

const fixture = join(import.meta.dirname, "../../test/fixtures/diff");
let repo: string;
let agentFile: string;

function git(...args: string[]): void {
  execFileSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", ...args], {
    cwd: repo,
    stdio: "ignore",
  });
}

function edit(change: (text: string) => string, file = agentFile): void {
  const before = readFileSync(file, "utf8");
  const after = change(before);
  expect(after).not.toBe(before); // the edit applies to the fixture as it is
  writeFileSync(file, after);
}

async function diff(args: string[], options: DiffOptions = {}) {
  let stdout = "";
  let stderr = "";
  const code = await runDiff(args, options, {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    env: testEnv(),
    cwd: repo,
  });
  return { code, stdout, stderr };
}

beforeEach(() => {
  repo = mkdtempSync(join(tmpdir(), "parley-diff-repo-"));
  cpSync(fixture, repo, { recursive: true });
  agentFile = join(repo, "desk.agent.yaml");
  git("init", "-q");
  git("add", "-A");
  git("commit", "-qm", "desk");
});
afterEach(() => rmSync(repo, { recursive: true, force: true }));

describe("agent diff", { timeout: 60_000 }, () => {
  it("says nothing changed and exits 0 when the working tree is HEAD", async () => {
    const { code, stdout, stderr } = await diff([]);
    expect(stderr).toBe("");
    expect(stdout).toBe("no agent changed (1 compared with HEAD)\n");
    expect(code).toBe(0);
  });

  it("shows instructions, voice, tools and approvals as a semantic diff of the compiled session, and exits 1", async () => {
    edit((t) =>
      t
        .replace(
          "You are the front desk. Use the tools; never guess.",
          "You are the front desk. Be brief.",
        )
        .replace("name: desk\n", "name: desk\nvoice: cedar\n")
        .replace(
          "description: Refund an amount to the guest.",
          "description: Refund part of a stay.",
        )
        .replace("    approval: always\n", "    approval: never\n")
        .replace("        ref: { type: string }", "        ref: { type: string, minLength: 3 }"),
    );
    const { code, stdout } = await diff(["desk.agent.yaml"]);
    expect(code).toBe(1);
    expect(stdout).toContain("desk.agent.yaml  HEAD → working tree\n  reaches the model:\n");
    expect(stdout).toContain(
      "    instructions:\n" +
        "        # Persona\n        Tone: calm.\n        \n        # Instructions\n" +
        "      - You are the front desk. Use the tools; never guess.\n" +
        "      + You are the front desk. Be brief.\n",
    );
    expect(stdout).toContain('    voice: voice: "(default)" → "cedar"\n');
    expect(stdout).not.toContain("audio:");
    expect(stdout).toContain(
      '    tools: refund.description: "Refund an amount to the guest.\\n\\nExamples:',
    );
    expect(stdout).toContain('→ "Refund part of a stay.\\n\\nExamples:');
    expect(stdout).toContain("    tools: + lookup_booking.parameters.properties.ref.minLength 3\n");
    expect(stdout).toMatch(
      / {2}runtime only \(not sent to the model\):\n {4}approvals: refund\.approval: "always" → "never"\n/,
    );
  });

  it("exits 0 when only what the runtime uses changed: approval, timeout, filler timing, handler code", async () => {
    edit((t) =>
      t
        .replace("    approval: always\n", "    approval: never\n    timeout: 9s\n")
        .replace("filler: { after: 100ms,", "filler: { after: 400ms,"),
    );
    edit(
      (t) => t.replace("setTimeout(resolve, 700)", "setTimeout(resolve, 500)"),
      join(repo, "desk-tools.ts"),
    );
    const { code, stdout } = await diff(["desk.agent.yaml"]);
    expect(stdout).not.toContain("reaches the model");
    expect(stdout).toContain('    approvals: refund.approval: "always" → "never"\n');
    expect(stdout).toContain("    tool runtime: + refund.timeout 9000\n");
    expect(stdout).toContain("    fillers: lookup_booking.filler.after: 100 → 400\n");
    expect(stdout).toContain("    files: desk-tools.ts changed\n");
    expect(code).toBe(0);
  });

  it("compares two git revisions of the same file, tools added and removed", async () => {
    edit((t) =>
      t
        .replace("  - name: refund\n", "  - name: refund_stay\n")
        .replace(
          "tools:\n",
          "mcp:\n  - label: crm\n    url: https://crm.example.com/mcp\ntools:\n",
        ),
    );
    git("commit", "-qam", "rename refund");
    const { code, stdout } = await diff(["HEAD~1:desk.agent.yaml", "HEAD:desk.agent.yaml"]);
    expect(code).toBe(1);
    expect(stdout).toContain("HEAD:desk.agent.yaml  HEAD~1 → HEAD\n");
    expect(stdout).toContain("    tools: - refund\n");
    expect(stdout).toContain('    mcp: + crm {"server_url":"https://crm.example.com/mcp"}\n');
    expect(stdout).toContain('    tools: + refund_stay "Refund an amount to the guest."\n');
  });

  it("reports agents deleted since the revision, and a renamed agent as a rename with its changes", async () => {
    writeFileSync(
      join(repo, "lobby.agent.yaml"),
      "name: lobby\ninstructions: You greet guests in the lobby.\n",
    );
    git("add", "-A");
    git("commit", "-qm", "lobby");
    rmSync(join(repo, "lobby.agent.yaml"));
    renameSync(agentFile, join(repo, "front-desk.agent.yaml"));

    const gone = await diff([]);
    expect(gone.stderr).toBe("");
    expect(gone.stdout).toBe(
      [
        "front-desk.agent.yaml  HEAD:desk.agent.yaml → working tree",
        "  renamed from desk.agent.yaml",
        "  no other change",
        "",
        "lobby.agent.yaml  HEAD → not in working tree",
        "  agent removed",
        "",
      ].join("\n"),
    );
    expect(gone.code).toBe(1); // an agent the model used to be is gone

    // Only the rename: nothing that reaches the model changed.
    git("checkout", "--", "lobby.agent.yaml");
    const moved = await diff([]);
    expect(moved.stdout).toContain("renamed from desk.agent.yaml");
    expect(moved.stdout).not.toContain("lobby");
    expect(moved.code).toBe(0);

    // Renamed and changed: the change is shown against the old file.
    edit(
      (t) => t.replace("name: desk\n", "name: desk\nvoice: cedar\n"),
      join(repo, "front-desk.agent.yaml"),
    );
    const changed = await diff([], { markdown: true });
    expect(changed.stdout).toMatch(
      /### `front-desk.agent.yaml` \(HEAD:desk.agent.yaml → working tree\)\n\nRenamed from `desk.agent.yaml`.\n\n\*\*Reaches the model\*\*[\s\S]*\| voice \|/,
    );
    expect(changed.code).toBe(1);
  });

  it("writes Markdown for a pull-request comment", async () => {
    edit((t) => t.replace("name: desk\n", "name: desk\nvoice: cedar\n"));
    const { code, stdout } = await diff([], { markdown: true });
    expect(code).toBe(1);
    expect(stdout).toBe(
      "### `desk.agent.yaml` (HEAD → working tree)\n\n**Reaches the model**\n\n" +
        "| area | what | before | after |\n|---|---|---|---|\n" +
        '| voice | `voice` | `"(default)"` | `"cedar"` |\n\n',
    );
  });

  it("runs both versions' scenarios offline with --scenarios and shows the outcome that changed", async () => {
    edit((t) => t.replace("    approval: always\n", "    approval: never\n"));
    const { code, stdout } = await diff(["desk.agent.yaml"], { scenarios: true });
    expect(code).toBe(1);
    expect(stdout).toMatch(
      /scenario outcomes \(offline\):\n {4}a refund needs approval \(desk\.test\.yaml\): pass → FAIL\n {6}step 3: approve refund: expected an approval request for refund/,
    );
    expect(stdout).not.toContain("looks up a booking");
  });

  it("exits 2 with a clear message for a revision that does not exist or an invalid agent file", async () => {
    const missing = await diff(["desk.agent.yaml"], { rev: "no-such-branch" });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(
      `error[git_failed]: no-such-branch: not a git revision of ${execFileSync("git", ["rev-parse", "--show-toplevel"], { cwd: repo }).toString().trim()}\n`,
    );
    edit((t) => t.replace("name: desk\n", "name: desk\nvoice: marine\n"));
    const invalid = await diff(["desk.agent.yaml"]);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/desk\.agent\.yaml:2:8/);
    expect(invalid.stderr).not.toMatch(/\n\s+at /);
  });
});
