import { type AnyToolDefinition, instantiateToolPack, packFromModule } from "@parley/core";
import { describe, expect, it } from "vitest";

const fixture = (name: string) =>
  new URL(`../../test/fixtures/packs/${name}`, import.meta.url).href;

describe("loading a pack module", () => {
  it("takes the default export, or an export named pack", async () => {
    const clock = packFromModule(await import("@parley/tools/clock"), "@parley/tools/clock");
    expect(clock.name).toBe("@parley/tools/clock");
    const named = packFromModule(await import(fixture("named-pack.ts")), "./named-pack");
    expect(named.version).toBe("3.0.0");
  });

  it("says clearly when a module exports no pack", async () => {
    const mod = await import(fixture("not-a-pack.ts"));
    expect(() => packFromModule(mod, "./not-a-pack")).toThrow(
      expect.objectContaining({
        code: "pack_invalid",
        message: expect.stringContaining("./not-a-pack does not export a tool pack"),
      }),
    );
  });

  it("reports a pack whose tools fail to build, with its name and version", async () => {
    const pack = packFromModule(await import(fixture("throwing-pack.ts")), "./throwing-pack");
    await expect(instantiateToolPack(pack, undefined, { baseDir: "/tmp" })).rejects.toMatchObject({
      code: "pack_failed",
      message: "pack flaky@0.0.1 failed to build its tools: cannot open ./data/catalog.json",
    });
  });

  it("refuses options for a pack that takes none", async () => {
    const pack = packFromModule(await import(fixture("named-pack.ts")), "./named-pack");
    await expect(
      instantiateToolPack(pack, { region: "eu" }, { baseDir: "/tmp" }),
    ).rejects.toMatchObject({
      code: "pack_options_invalid",
    });
  });
});

describe("pack defaults", () => {
  it("fill what a tool leaves open and never override what it sets", async () => {
    const pack = packFromModule(await import(fixture("named-pack.ts")), "./named-pack");
    const [safe, risky] = await instantiateToolPack(
      pack,
      undefined,
      { baseDir: "/tmp" },
      "/abs/named-pack.ts",
    );
    expect(safe).toMatchObject({ approval: "never", timeout: "3s", filler: { after: "1s" } });
    expect(risky).toMatchObject({ approval: "always", timeout: "3s" });
    expect(risky?.origin).toEqual({
      kind: "pack",
      pack: "named@3.0.0",
      file: "/abs/named-pack.ts",
    });
    // The pack's own tool objects are untouched (a pack used by two agents gives each its own copies).
    expect((pack.tools as AnyToolDefinition[]).map((t) => t.origin)).toEqual([
      undefined,
      undefined,
    ]);
  });
});
