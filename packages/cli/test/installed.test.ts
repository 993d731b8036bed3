// Users install Parley into their own project; they do not clone this repository. This packs every package as it
// would be published (scripts/pack.mjs: `pnpm pack` with built JavaScript and .d.ts), installs the tarballs into an
// empty folder outside the workspace (dependencies from the registry through pnpm's store, offline when cached), and
// uses them as a newcomer would: `npx agent init`, `validate`, `test`, a scripted `dev` turn, and a TypeScript file
// type-checked against `@parley/core`.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testEnv } from "./helpers/cli.ts";

const root = join(import.meta.dirname, "../../..");
let work: string;
let app: string;

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

function run(
  command: string,
  args: string[],
  options: { cwd: string; input?: string; env?: Record<string, string> },
): Promise<Ran> {
  return new Promise((resolve) => {
    const child = execFile(
      command,
      args,
      { cwd: options.cwd, env: options.env ?? appEnv(), maxBuffer: 16 << 20 },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(options.input ?? "");
  });
}

/** The test environment without what the workspace's own pnpm run put there (its conditions, its bin path). */
function appEnv(): Record<string, string> {
  const env = testEnv();
  for (const key of Object.keys(env))
    if (key.startsWith("npm_") || key === "NODE_OPTIONS" || key === "PNPM_SCRIPT_SRC_DIR")
      delete env[key];
  return env;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "parley-installed-"));
  app = join(work, "app");
  mkdirSync(app);
  const packed = await run(
    process.execPath,
    [join(root, "scripts/pack.mjs"), "--out", join(work, "packs"), "--quiet"],
    { cwd: root },
  );
  expect(packed.stderr).toBe("");
  const tarball = (name: string) =>
    `file:${packed.stdout.split("\n").find((line) => line.includes(`parley-${name}-`))}`;
  const rootManifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  writeFileSync(
    join(app, "package.json"),
    JSON.stringify({
      name: "hello-app",
      private: true,
      type: "module",
      dependencies: { "@parley/cli": tarball("cli"), "@parley/core": tarball("core") },
      devDependencies: {
        typescript: rootManifest.devDependencies.typescript,
        "@types/node": rootManifest.devDependencies["@types/node"],
      },
      // The tarballs depend on each other by version (0.1.0), which is not on the registry: point those at them.
      pnpm: {
        overrides: {
          "@parley/core": tarball("core"),
          "@parley/tools": tarball("tools"),
          "@parley/local-realtime": tarball("local-realtime"),
        },
      },
    }),
  );
  const installed = await run("npx", ["-y", "pnpm@10", "install", "--prefer-offline"], {
    cwd: app,
  });
  expect(installed.code, installed.stderr + installed.stdout).toBe(0);
}, 400_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

// Slow (packing builds declarations; tsc loads openai's types): about a minute of CPU, several on a busy machine.
describe("installed from the packed tarballs", { timeout: 300_000 }, () => {
  it("ships built JavaScript and declarations, no TypeScript source", () => {
    const cli = join(app, "node_modules/@parley/cli");
    const core = join(app, "node_modules/@parley/core");
    expect(existsSync(join(cli, "dist/main.js"))).toBe(true);
    expect(existsSync(join(cli, "src"))).toBe(false);
    expect(existsSync(join(core, "dist/index.d.ts"))).toBe(true);
    expect(existsSync(join(core, "LICENSE"))).toBe(true);
    expect(existsSync(join(core, "README.md"))).toBe(true);
  });

  it("npx agent init, validate, test and a dev turn work", async () => {
    const init = await run("npx", ["agent", "init", "hello"], { cwd: app });
    expect(init.stderr).toBe("");
    expect(init.stdout).toContain("npx agent dev hello/hello.agent.yaml");
    // The editor schema is the installed package's, through node_modules/@parley (not the pnpm store path).
    expect(readFileSync(join(app, "hello/hello.agent.yaml"), "utf8")).toMatch(
      /^# yaml-language-server: \$schema=\.\.\/node_modules\/@parley\/core\/schema\/agent\.schema\.json\n/,
    );
    expect(existsSync(join(app, "node_modules/@parley/core/schema/agent.schema.json"))).toBe(true);

    const validate = await run("npx", ["agent", "validate", "hello"], { cwd: app });
    expect(validate.stderr).toBe("");
    expect(validate.stdout).toContain("1 agent file valid");

    const test = await run("npx", ["agent", "test"], { cwd: app });
    expect(test.stdout).toMatch(/2 scenarios: 2 passed/);
    expect(test.code).toBe(0);

    const dev = await run("npx", ["agent", "dev", "hello/hello.agent.yaml"], {
      cwd: app,
      input: "what is the weather in Paris\n",
    });
    expect(dev.stdout).toContain("tool: get_weather");
    expect(dev.stdout).toMatch(/agent: .*sunny/);
    expect(dev.code).toBe(0);
  });

  it("a TypeScript file type-checks against @parley/core, and a mistake in it does not", async () => {
    writeFileSync(
      join(app, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          module: "NodeNext",
          moduleResolution: "NodeNext",
          target: "ES2022",
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: ["node"],
        },
        include: ["src"],
      }),
    );
    mkdirSync(join(app, "src"));
    const good = `import { defineAgent, defineTool, type Session, startSession, z } from "@parley/core";

const echo = defineTool({
  name: "echo",
  description: "Say the text back",
  parameters: z.object({ text: z.string() }),
  run: async ({ text }) => ({ text: text.toUpperCase() }),
});

export const agent = defineAgent({ name: "hello", instructions: "Say hi.", tools: [echo] });
export const start = (url: string): Promise<Session> => startSession({ url });
`;
    writeFileSync(join(app, "src/agent.ts"), good);
    // Each subpath export has its types (a wrong use of them would fail this same tsc run).
    writeFileSync(
      join(app, "src/subpaths.ts"),
      `import { AuditLog } from "@parley/core/approval";
import { createLoader } from "@parley/core/load";
import { ResponseQueue, startSession } from "@parley/core/runtime";
import { ToolScheduler } from "@parley/core/scheduler";
import { memoryTransportPair } from "@parley/core/testing";

export const parts: [typeof AuditLog, typeof createLoader, typeof ResponseQueue, typeof ToolScheduler] = [
  AuditLog, createLoader, ResponseQueue, ToolScheduler,
];
export const pair: ReturnType<typeof memoryTransportPair> = memoryTransportPair();
export const started: typeof startSession = startSession;
`,
    );
    // Types are real, not `any`: a wrong argument type is caught (one tsc run for both files: it is slow).
    writeFileSync(join(app, "src/wrong.ts"), good.replace("text.toUpperCase()", "text * 2"));
    const tsc = await run(join(app, "node_modules/.bin/tsc"), ["-p", "."], { cwd: app });
    const errors = tsc.stdout.trim().split("\n");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^src\/wrong\.ts\(7,\d+\): error TS2362/);
  });

  it("the subpath exports load, and share one copy of the code with the main entry", async () => {
    const script = `const main = await import("@parley/core");
const paths = ["runtime", "scheduler", "approval", "load", "testing"];
const subs = await Promise.all(paths.map((p) => import(\`@parley/core/\${p}\`)));
const [runtime, scheduler, approval, load] = subs;
console.log(JSON.stringify([
  runtime.startSession === main.startSession,
  scheduler.ToolScheduler === main.ToolScheduler,
  approval.AuditLog === main.AuditLog,
  load.createLoader === main.createLoader,
  typeof subs[4].memoryTransportPair,
]));`;
    const ran = await run(process.execPath, ["--input-type=module", "-e", script], { cwd: app });
    expect(ran.stderr).toBe("");
    expect(JSON.parse(ran.stdout)).toEqual([true, true, true, true, "function"]);
  });
});
