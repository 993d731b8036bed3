// How well the offline rules model listens: the calls it makes for the utterances in utterances.yaml, over the
// example agents' real tools (compiled as `agent dev` sends them). Prints the share right; fails below 90 %.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { compileSession, loadAgent } from "@parley/core";
import { functionModelTool, type ModelAction, rulesModel } from "@parley/local-realtime";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

interface Expected {
  call: string | null;
  args?: Record<string, unknown>;
}
interface Case extends Partial<Expected> {
  agent: string;
  say: string;
  calls?: Expected[];
}
interface Table {
  today: string;
  agents: Record<string, string>;
  cases: Case[];
}

const root = join(import.meta.dirname, "../../../..");
const table = parse(readFileSync(join(import.meta.dirname, "utterances.yaml"), "utf8")) as Table;

async function toolsOf(file: string) {
  const agent = await loadAgent(join(root, file), {
    // The support agent's MCP server needs a token to load; the rules model only reads function tools.
    env: { ...process.env, HELPDESK_MCP_TOKEN: "offline" },
  });
  const tools = (compileSession(agent).session.tools ?? []) as Array<Record<string, unknown>>;
  return tools.filter((t) => t.type === "function").map(functionModelTool);
}

async function answer(
  tools: Awaited<ReturnType<typeof toolsOf>>,
  say: string,
): Promise<ModelAction[]> {
  return rulesModel().respond({
    session: {} as never,
    items: [
      {
        id: "item_1",
        item: { type: "message", role: "user", content: [{ type: "input_text", text: say }] },
        text: say,
      },
    ],
    responseInstructions: undefined,
    sessionInstructions: "",
    outOfBand: false,
    metadata: null,
    tools,
    toolChoice: "auto",
    parallelToolCalls: true,
    today: new Date(table.today),
    continuation: false,
    signal: new AbortController().signal,
  });
}

/** Why a case is wrong, or undefined when right. */
function mismatch(expected: Expected[], actions: ModelAction[]): string | undefined {
  const calls = actions.flatMap((a) => ("call" in a ? [a.call] : []));
  const wanted = expected.filter((e) => e.call !== null);
  if (calls.length !== wanted.length)
    return `expected ${wanted.map((w) => w.call).join(" + ") || "no call"}, got ${calls.map((c) => c.name).join(" + ") || "no call"}`;
  for (const [i, w] of wanted.entries()) {
    const got = calls[i] as { name: string; arguments?: unknown };
    if (got.name !== w.call) return `expected ${w.call}, got ${got.name}`;
    const args = (got.arguments ?? {}) as Record<string, unknown>;
    for (const [key, value] of Object.entries(w.args ?? {}))
      if (JSON.stringify(args[key]) !== JSON.stringify(value))
        return `${w.call}.${key}: expected ${JSON.stringify(value)}, got ${JSON.stringify(args[key])}`;
  }
  return undefined;
}

describe("the rules model listens", { timeout: 60_000 }, () => {
  it("calls the right tool with the arguments said for at least 90 % of the utterance table", async () => {
    expect(table.cases.length).toBeGreaterThanOrEqual(50);
    const tools = new Map<string, Awaited<ReturnType<typeof toolsOf>>>();
    for (const [name, file] of Object.entries(table.agents)) tools.set(name, await toolsOf(file));
    const wrong: string[] = [];
    for (const c of table.cases) {
      const expected = c.calls ?? [{ call: c.call ?? null, ...(c.args ? { args: c.args } : {}) }];
      const why = mismatch(expected, await answer(tools.get(c.agent) ?? [], c.say));
      if (why) wrong.push(`${c.agent}: "${c.say}" — ${why}`);
    }
    const share = (table.cases.length - wrong.length) / table.cases.length;
    console.log(
      `rules model: ${table.cases.length - wrong.length}/${table.cases.length} utterances right (${(share * 100).toFixed(1)} %, target ≥ 90 %)${wrong.length ? `\n  ${wrong.join("\n  ")}` : ""}`,
    );
    expect(share).toBeGreaterThanOrEqual(0.9);
  });

  it("is deterministic: the same utterance gives the same call", async () => {
    const tools = await toolsOf(table.agents.concierge as string);
    const say = "Book a suite for two nights from Friday for Grace Hopper";
    expect(await answer(tools, say)).toEqual(await answer(tools, say));
  });
});
