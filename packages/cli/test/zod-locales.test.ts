// The built core bundles zod without its locales (scripts/build.mjs, lazyZodLocales): ~300 KB that every `agent`
// start parsed and almost no one uses. `z.locales` keeps every name zod has; a locale other than English loads
// zod's own file for it when called. These check the built core (plain node, no source condition) against zod itself.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const core = join(import.meta.dirname, "../../core");

// Run from core's folder, so `import("zod")` is the zod core bundles. Both copies share zod's global config
// (globalThis), so each side sets its locale right before its own parses.
const compare = `
const { z } = await import(${JSON.stringify(join(core, "dist/pack.js"))});
const zod = await import("zod");
const messages = (lib) => [
  lib.string().safeParse(1),
  lib.string().min(3).safeParse("a"),
  lib.number().max(2).safeParse(5),
  lib.enum(["a", "b"]).safeParse("c"),
  lib.strictObject({ a: lib.string() }).safeParse({ a: "x", b: 1 }),
  lib.email().safeParse("nope"),
].map((r) => r.error.issues[0].message);
const out = { names: Object.keys(z.locales).sort(), zodNames: Object.keys(zod.locales).sort(), same: z.locales === z.core.locales, differ: [] };
for (const name of out.zodNames) {
  z.config(z.locales[name]());
  const ours = messages(z);
  zod.config(zod.locales[name]());
  const theirs = messages(zod);
  if (JSON.stringify(ours) !== JSON.stringify(theirs)) out.differ.push({ name, ours, theirs });
}
z.config(z.locales.en());
out.english = messages(z);
console.log(JSON.stringify(out));
`;

describe("zod's locales in the built core", { timeout: 60_000 }, () => {
  it("z.locales has every locale zod has, each giving zod's own messages", () => {
    const run = spawnSync(process.execPath, ["--input-type=module", "-e", compare], {
      cwd: core,
      encoding: "utf8",
      env: { ...process.env, NODE_OPTIONS: "" },
    });
    expect(run.stderr).toBe("");
    const out = JSON.parse(run.stdout);
    expect(out.zodNames.length).toBeGreaterThan(40);
    expect(out.names).toEqual(out.zodNames);
    expect(out.same).toBe(true);
    expect(out.differ).toEqual([]);
    expect(out.english[0]).toBe("Invalid input: expected string, received number");
  });

  it("are not bundled: the built core holds no other locale's text", () => {
    const chunks = join(core, "dist/chunks");
    const texts = readdirSync(chunks)
      .filter((f) => f.endsWith(".js"))
      .map((f) => readFileSync(join(chunks, f), "utf8"));
    // From zod's Dutch and Indonesian locales (ASCII: the build escapes other characters).
    expect(texts.filter((t) => t.includes("Ongeldige invoer"))).toEqual([]);
    expect(texts.filter((t) => t.includes("Input tidak valid"))).toEqual([]);
    expect(texts.some((t) => t.includes("Invalid input: expected"))).toBe(true);
  });
});
