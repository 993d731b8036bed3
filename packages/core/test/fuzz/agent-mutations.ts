// Test support for the agent-file fuzzers (the suite's 1,000 cases and `pnpm bench fuzz`'s 20,000): mutation
// families over the example agents, and the check every loaded mutation must pass.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { AgentFileError, loadAgent } from "../../src/index.ts";
import { readUtf8 } from "../../src/load/read-source.ts";

const root = new URL("../../../../", import.meta.url).pathname;

/** Every example agent in agents/ (the files `agent validate agents/` checks). */
export const EXAMPLE_AGENTS = [
  "agents/hotel-concierge/concierge.agent.yaml",
  "agents/support/support.agent.md",
  "agents/support/billing.agent.md",
  "agents/order-desk/order-desk.agent.ts",
].map((file) => join(root, file));

/** One mutation of a file's bytes, with a name for the failure report. */
export interface Mutation {
  family: string;
  apply(bytes: Buffer): Buffer;
}

const text = (f: (s: string) => string) => (b: Buffer) =>
  Buffer.from(f(b.toString("utf8")), "utf8");
const lines = (f: (ls: string[]) => string[]) => text((s) => f(s.split("\n")).join("\n"));
const at = (n: number, length: number) => (length === 0 ? 0 : n % length);

/** The mutation families of issue 11, each scaled by `size` (1 in the suite, larger in the bench). */
export function mutation(size = 1): fc.Arbitrary<Mutation> {
  const big = (n: number) => Math.round(n * size);
  const pos = fc.nat();
  return fc.oneof(
    fc.array(fc.tuple(pos, fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }).map(
      (flips): Mutation => ({
        family: "byte flips",
        apply: (b) => {
          const out = Buffer.from(b);
          for (const [p, v] of flips) if (out.length) out[at(p, out.length)] = v;
          return out;
        },
      }),
    ),
    pos.map(
      (p): Mutation => ({
        family: "deleted line",
        apply: lines((ls) => ls.filter((_, i) => i !== at(p, ls.length))),
      }),
    ),
    fc.tuple(pos, fc.integer({ min: 1, max: 3 })).map(
      ([p, times]): Mutation => ({
        family: "duplicated line",
        apply: lines((ls) =>
          ls.flatMap((l, i) => (i === at(p, ls.length) ? Array(times + 1).fill(l) : [l])),
        ),
      }),
    ),
    fc
      .tuple(
        pos,
        fc.constantFrom("[1, 2]", "{ a: 1 }", "12345", "null", "true", "-1.5e9", '""', "[]"),
      )
      .map(
        ([p, value]): Mutation => ({
          family: "wrong type",
          apply: lines((ls) => {
            const keyed = ls
              .map((l, i) => [l, i] as const)
              .filter(([l]) => /^\s*[\w-]+:\s*\S/.test(l));
            const target = keyed[at(p, keyed.length)];
            return target
              ? ls.map((l, i) => (i === target[1] ? l.replace(/:\s*.*$/, `: ${value}`) : l))
              : ls;
          }),
        }),
      ),
    fc.tuple(fc.integer({ min: 10, max: big(5000) }), fc.boolean()).map(
      ([depth, flow]): Mutation => ({
        family: "deep nesting",
        apply: text((s) =>
          flow
            ? `${s}\nmetadata: ${"[".repeat(depth)}${"]".repeat(depth)}\n`
            : `${s}\nmetadata:\n${Array.from({ length: Math.min(depth, 300) }, (_, i) => `${" ".repeat(i + 1)}k:`).join("\n")}\n`,
        ),
      }),
    ),
    fc
      .tuple(
        fc.integer({ min: 1000, max: big(300_000) }),
        fc.constantFrom("model", "name", "instructions", "voice"),
      )
      .map(
        ([length, key]): Mutation => ({
          family: "huge string",
          apply: text((s) =>
            s.replace(new RegExp(`^(\\s*${key}:).*$`, "m"), `$1 ${"x".repeat(length)}`),
          ),
        }),
      ),
    fc.integer({ min: 100, max: big(60_000) }).map(
      (count): Mutation => ({
        family: "many keys",
        apply: text(
          (s) =>
            `${s}\nvariables:\n${Array.from({ length: count }, (_, i) => ` k${i.toString(36)}: v`).join("\n")}\n`,
        ),
      }),
    ),
    fc
      .constantFrom(
        "metadata: &m { a: *m }",
        "metadata: &m [*m]",
        'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
        "metadata: *nowhere",
        "__proto__: { polluted: true }",
      )
      .map((alias): Mutation => ({ family: "aliases", apply: text((s) => `${s}\n${alias}\n`) })),
    fc.constant<Mutation>({ family: "BOM", apply: text((s) => `\uFEFF${s}`) }),
    fc.constant<Mutation>({ family: "CRLF", apply: text((s) => s.replace(/\n/g, "\r\n")) }),
    fc.constant<Mutation>({
      family: "tabs",
      apply: text((s) => s.replace(/^( {2})+/gm, (m) => "\t".repeat(m.length / 2))),
    }),
    fc.tuple(pos, fc.constantFrom([0xff], [0xfe, 0xff], [0xc3], [0xed, 0xa0, 0x80], [0x00])).map(
      ([p, bad]): Mutation => ({
        family: "invalid UTF-8",
        apply: (b) => {
          const i = at(p, b.length + 1);
          return Buffer.concat([b.subarray(0, i), Buffer.from(bad), b.subarray(i)]);
        },
      }),
    ),
    fc
      .constantFrom<(s: string) => string>(
        (s) => s.replace(/^---\r?\n/, ""),
        (s) => s.replace(/\n---\r?\n/, "\n"),
        (s) => `---\n${s}`,
        (s) => s.replace(/^---/, "--- x"),
        (s) => s.replace(/\n---/, "\n---\n---"),
      )
      .map((f): Mutation => ({ family: "broken front matter", apply: text(f) })),
  );
}

/** What loading one mutated file came to; `bad` says why it breaks the bar (a crash, a stack trace, no location). */
export interface Outcome {
  ok: boolean;
  ms: number;
  bad?: string;
}

/**
 * Loads `file` as if its bytes were `mutated` (other files, handlers and bases, are read from disk as usual) and
 * checks the bar: it loads, or fails with an AgentFileError whose every problem is located and carries no stack.
 */
export async function loadMutated(file: string, mutated: Buffer): Promise<Outcome> {
  const content = mutated.toString("utf8");
  const readFile = (path: string) => (path === file ? Promise.resolve(content) : readUtf8(path));
  const start = performance.now();
  try {
    await loadAgent(file, { readFile, missingEnv: "warn", env: {} });
    return { ok: true, ms: performance.now() - start };
  } catch (error) {
    const ms = performance.now() - start;
    if (!(error instanceof AgentFileError))
      return {
        ok: false,
        ms,
        bad: `not an AgentFileError: ${String((error as Error)?.stack ?? error)}`,
      };
    for (const p of error.problems) {
      if (!(p.line >= 1 && p.col >= 1 && typeof p.file === "string" && p.file))
        return { ok: false, ms, bad: `unlocated problem ${JSON.stringify(p)}` };
      if (/\n\s+at /.test(p.message) || /\n\s+at /.test(p.hint ?? ""))
        return { ok: false, ms, bad: `stack trace in ${p.code}: ${p.message}` };
    }
    return { ok: false, ms };
  }
}

/** The original bytes of each example agent. */
export function originals(): Map<string, Buffer> {
  return new Map(EXAMPLE_AGENTS.map((f) => [f, readFileSync(f)]));
}
