import { defineConfig } from "vitest/config";

const packages = ["core", "tools", "cli", "local-realtime"];

export default defineConfig({
  test: {
    projects: packages.map((name) => ({
      test: {
        name,
        root: `packages/${name}`,
        include: ["src/**/*.test.ts", "test/**/*.test.ts"],
        testTimeout: 20_000,
        hookTimeout: 20_000,
      },
    })),
  },
});
