import { defineConfig } from "vitest/config";

const packages = ["core", "tools", "cli", "local-realtime"];
// Tests run the TypeScript source: `@parley/*` resolve through their `parley-source` export condition, not the built dist/
// (which may be stale). Vite's default conditions are kept; the server (ssr) ones are what tests in Node use.
const conditions = ["parley-source", "module", "node", "development|production"];
// Vitest hands the server conditions to Node (`--conditions`), so they must be ones Node itself would use: `module`
// would make Node's require() load bundler builds (OpenTelemetry's `module` build imports without file extensions).
const nodeConditions = conditions.filter((c) => c !== "module");

export default defineConfig({
  test: {
    projects: packages.map((name) => ({
      resolve: { conditions },
      ssr: { resolve: { conditions: nodeConditions } },
      test: {
        name,
        root: `packages/${name}`,
        include: ["src/**/*.test.ts", "test/**/*.test.ts"],
        // Safety nets against a hang, not expectations of speed: the first test of a file also pays for loading its
        // modules, which on a loaded 2-core machine can take tens of seconds. Tests wait on events, never on time.
        testTimeout: 60_000,
        hookTimeout: 60_000,
        expect: { poll: { timeout: 30_000 } },
      },
    })),
  },
});
