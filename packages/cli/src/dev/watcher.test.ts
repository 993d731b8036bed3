import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type AgentWatcher, watchAgentFiles } from "./watcher.ts";

let dir: string;
let watcher: AgentWatcher | undefined;
afterEach(async () => {
  await watcher?.close();
  rmSync(dir, { recursive: true, force: true });
});

function nextChange(): { promise: Promise<string[]>; onChange: (files: string[]) => void } {
  let onChange: (files: string[]) => void = () => {};
  const promise = new Promise<string[]>((resolve) => (onChange = resolve));
  return { promise, onChange: (f) => onChange(f) };
}

describe("watching an agent's files", () => {
  it("reports a save once, with the file, and follows a new set of files after a reload", async () => {
    dir = mkdtempSync(join(tmpdir(), "parley-watch-"));
    const agent = join(dir, "a.agent.yaml");
    const tools = join(dir, "tools.ts");
    writeFileSync(agent, "name: a\n");
    writeFileSync(tools, "export {}\n");
    let changes: string[][] = [];
    let wake = nextChange();
    watcher = await watchAgentFiles([agent], (files) => {
      changes.push(files);
      wake.onChange(files);
    });
    writeFileSync(agent, "name: a\ninstructions: hi\n");
    writeFileSync(agent, "name: a\ninstructions: hello\n");
    expect(await wake.promise).toEqual([agent]);
    await new Promise((r) => setTimeout(r, 100));
    expect(changes).toHaveLength(1);

    changes = [];
    wake = nextChange();
    watcher.setFiles([agent, tools]);
    // chokidar starts watching an added file asynchronously and says nothing when it is ready: a save made before
    // that is not seen. Save again until one is reported (on a busy machine the first ones may come too early).
    const reported = wake.promise;
    let seen: string[] | undefined;
    for (let save = 1; !seen; save++) {
      writeFileSync(tools, `export const x = ${save};\n`);
      seen = await Promise.race([
        reported,
        new Promise<undefined>((r) => setTimeout(() => r(undefined), 250)),
      ]);
    }
    expect(seen).toEqual([tools]);
  });

  it("reports a save made right after a reported one (chokidar drops a second change within 50 ms)", async () => {
    dir = mkdtempSync(join(tmpdir(), "parley-watch-"));
    const agent = join(dir, "a.agent.yaml");
    writeFileSync(agent, "name: a\n");
    let wake = nextChange();
    watcher = await watchAgentFiles([agent], (files) => wake.onChange(files));
    writeFileSync(agent, "name: a\ninstructions: hi\n");
    expect(await wake.promise).toEqual([agent]);
    // At once, as an editor that saves again, or a person who fixes a typo and saves within a breath.
    wake = nextChange();
    writeFileSync(agent, "name: a\ninstructions: hello\n");
    expect(await wake.promise).toEqual([agent]);
  });
});
