import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const check = join(import.meta.dirname, "../../test/fixtures/cjs-handler/check.mjs");

// A `.ts` handler in a folder without "type": "module" is CommonJS: tsx compiles its `import` of @parley/core to
// require(). It must get the running core (one ParleyError class), not a second copy compiled for require.
describe("a CommonJS TypeScript handler that imports @parley/core", () => {
  it("shares the running core when the process runs the source (tsx registered)", async () => {
    const { stdout } = await run(process.execPath, [
      "--conditions=parley-source",
      "--import",
      "tsx",
      check,
    ]);
    expect(JSON.parse(stdout)).toEqual({ shared: true, code: "refused_here" });
  });

  it("shares the running core when the process runs the prebuilt JavaScript (plain Node)", async () => {
    const { stdout } = await run(process.execPath, [check]);
    expect(JSON.parse(stdout)).toEqual({ shared: true, code: "refused_here" });
  });
});
