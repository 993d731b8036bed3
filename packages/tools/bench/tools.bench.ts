// Tool figures: the cost the MCP bridge adds to a call (stdio and streamable HTTP round trip to a real SDK server),
// and knowledge search latency on a 2,000-passage corpus. Prints `name: median X, p99 Y (unit)` lines only.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ToolContext } from "@parley/core";
import { report } from "../../../bench/stats.ts";
import { McpBridge } from "../src/mcp/index.ts";
import { indexFiles } from "../src/packs/knowledge/index.ts";
import { startHttpMcpServer } from "../test/mcp-test-server.ts";

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const ctx = (): ToolContext => ({
  signal: new AbortController().signal,
  progress() {},
  variables: {},
  log: quiet,
  callId: "b",
});

async function bridgeCalls(name: string, bridge: McpBridge): Promise<void> {
  const tools = await bridge.connect();
  const add = tools.find((t) => t.name === "add");
  if (!add) throw new Error("no add tool");
  for (let i = 0; i < 50; i++) await add.run({ a: i, b: 1 }, ctx()); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < 1000; i++) {
    const started = performance.now();
    await add.run({ a: i, b: 1 }, ctx());
    samples.push(performance.now() - started);
  }
  report(name, samples, "ms");
  await bridge.close();
}

async function knowledgeSearch(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "parley-knowledge-"));
  const topics = [
    "parking",
    "refunds",
    "opening hours",
    "breakfast",
    "wifi",
    "pets",
    "late checkout",
    "airport shuttle",
    "gym",
    "spa",
  ];
  for (let f = 0; f < 20; f++) {
    const sections = Array.from({ length: 100 }, (_, i) => {
      const topic = topics[(f * 100 + i) % topics.length];
      return `## ${topic} ${f}-${i}\n\nAbout ${topic} at site ${f}: rule ${i} says guests may ask the desk about ${topic} any day before ${i % 24}:00.\n`;
    });
    await writeFile(join(dir, `kb-${f}.md`), `# Knowledge ${f}\n\n${sections.join("\n")}`);
  }
  const files = Array.from({ length: 20 }, (_, f) => join(dir, `kb-${f}.md`));
  const built = performance.now();
  const index = await indexFiles(files, dir);
  const buildMs = performance.now() - built;
  const queries = [
    "is there parking",
    "can I get a refund",
    "opening hours on sunday",
    "do you allow pets",
    "airport shutle",
  ];
  const samples: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const started = performance.now();
    index.search(queries[i % queries.length] as string, 3);
    samples.push(performance.now() - started);
  }
  report(`knowledge index build (${index.size} passages)`, [buildMs], "ms", { digits: 1 });
  report("knowledge search (2,000 passages, top 3)", samples, "ms", { digits: 3 });
  await rm(dir, { recursive: true, force: true });
}

const fixtures = fileURLToPath(new URL("../test/fixtures/mcp", import.meta.url));
await bridgeCalls(
  "mcp bridge call over stdio (round trip)",
  new McpBridge({
    label: "bench",
    command: process.execPath,
    args: ["--import", "tsx", "stdio-server.ts"],
    cwd: fixtures,
  }),
);
const http = await startHttpMcpServer();
await bridgeCalls(
  "mcp bridge call over streamable HTTP (round trip)",
  new McpBridge({ label: "bench", url: http.url }),
);
await http.close();
await knowledgeSearch();
