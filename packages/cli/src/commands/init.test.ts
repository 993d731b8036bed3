import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, runCli } from "../../test/helpers/cli.ts";

let dir: string;
beforeAll(() => {
  mkdirSync(join(BIN, "../../../../node_modules/.cache"), { recursive: true });
  dir = mkdtempSync(join(tmpdir(), "parley-init-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Real processes on a shared machine: generous time, the assertions stay exact.
describe("agent init", { timeout: 120_000 }, () => {
  it.each(["basic", "approval"])(
    "scaffolds the %s template: it validates and its scenarios pass straight away",
    async (template) => {
      const name = `${template}-agent`;
      const init = await runCli(["init", name, "--template", template], { cwd: dir });
      expect(init.code).toBe(0);
      // Outside the clone, with nothing installed: the hint runs this very binary, and the schema comment names
      // where `npm install @parley/core` will put the schema, not a path into the clone.
      expect(init.stdout).toContain(`node ${BIN} dev ${name}/${name}.agent.yaml`);
      const agentText = readFileSync(join(dir, name, `${name}.agent.yaml`), "utf8");
      expect(agentText).toMatch(
        /^# yaml-language-server: \$schema=\.\.\/node_modules\/@parley\/core\/schema\/agent\.schema\.json\n/,
      );
      expect(readFileSync(join(dir, name, `${name}.test.yaml`), "utf8")).toMatch(
        /^# yaml-language-server: \$schema=\S+scenario\.schema\.json\n/,
      );

      const validate = await runCli(["validate", `${name}/${name}.agent.yaml`], { cwd: dir });
      expect(validate.stderr).toBe("");
      expect(validate.code).toBe(0);

      const test = await runCli(["test", name], { cwd: dir });
      expect(test.stdout).toMatch(/2 scenarios: 2 passed/);
      expect(test.code).toBe(0);
    },
  );

  it("inside the clone, prints the pnpm command and a schema path that exists", async () => {
    const inClone = mkdtempSync(join(BIN, "../../../../node_modules/.cache/parley-init-"));
    try {
      const init = await runCli(["init", "here"], { cwd: inClone });
      expect(init.stdout).toContain("npx -y pnpm@10 agent dev here/here.agent.yaml");
      const schema = /\$schema=(\S+)/.exec(
        readFileSync(join(inClone, "here/here.agent.yaml"), "utf8"),
      )?.[1] as string;
      expect(existsSync(join(inClone, "here", schema))).toBe(true);
    } finally {
      rmSync(inClone, { recursive: true, force: true });
    }
  });

  it("refuses to overwrite, and rejects bad names and templates with a clear message", async () => {
    expect((await runCli(["init", "twice"], { cwd: dir })).code).toBe(0);
    const again = await runCli(["init", "twice"], { cwd: dir });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("already exist: pick another name or pass --force");
    expect((await runCli(["init", "twice", "--force"], { cwd: dir })).code).toBe(0);

    const bad = await runCli(["init", "no spaces"], { cwd: dir });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('"no spaces" is not a valid agent name');
    const template = await runCli(["init", "x", "--template", "fancy"], { cwd: dir });
    expect(template.stderr).toContain('unknown template "fancy": choose one of basic, approval');
    writeFileSync(join(dir, "a-file"), "");
    const notAFolder = await runCli(["init", "x", "--dir", "a-file"], { cwd: dir });
    expect(notAFolder.code).toBe(1);
    expect(notAFolder.stderr).toBe(
      "error[init_failed]: could not write the agent into a-file (EEXIST)\n",
    );
  });

  it("finds the packs that ship with the CLI for an agent outside any project", async () => {
    // The temp folder has no node_modules: `@parley/tools/clock` must come from the running CLI's installation.
    writeFileSync(
      join(dir, "loose.agent.yaml"),
      'name: loose\ninstructions: Tell the time.\ntools:\n  - use: "@parley/tools/clock"\n    only: [current_time]\n',
    );
    const validate = await runCli(["validate", "loose.agent.yaml"], { cwd: dir });
    expect(validate.stderr).toBe("");
    expect(validate.stdout).toContain("1 tool");
    expect(validate.code).toBe(0);
  });
});
