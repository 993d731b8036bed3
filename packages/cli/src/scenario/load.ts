import { existsSync, readdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { basename, dirname, resolve } from "node:path";
import { type Document, isMap, isScalar, LineCounter, type Node, parseDocument } from "yaml";
import { z } from "zod";
import { ScenarioFileError, type ScenarioProblem } from "./errors.ts";
import { describeStep, normalise } from "./normalise.ts";
import {
  type LocatedStep,
  type Scenario,
  type StepAction,
  scenarioFileSchema,
  stepActions,
  stepSchemas,
} from "./schema.ts";

/** The top level, with steps kept raw: each step is checked against its own action's schema for precise errors. */
const fileShape = scenarioFileSchema.extend({
  scenarios: z.array(
    scenarioFileSchema.shape.scenarios.element.extend({
      steps: z.array(z.record(z.string(), z.unknown())).min(1),
    }),
  ),
});

/**
 * Reads and validates one scenario file. Throws `ScenarioFileError` with every problem located at `file:line:col`.
 *
 * @example
 * const scenarios = await loadScenarioFile("agents/hotel-concierge/concierge.test.yaml");
 */
export async function loadScenarioFile(path: string): Promise<Scenario[]> {
  const file = resolve(path);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    throw new ScenarioFileError([
      { file, line: 1, col: 1, path: "", message: `cannot read ${file}` },
    ]);
  }
  return parseScenarioFile(file, text);
}

/** Validates scenario text as if read from `file` (absolute). Pure apart from looking for the agent file beside it. */
export function parseScenarioFile(file: string, text: string): Scenario[] {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const at = (offset: number) => {
    const pos = lines.linePos(offset);
    return { file, line: pos.line, col: pos.col };
  };
  if (doc.errors.length > 0) {
    throw new ScenarioFileError(
      doc.errors.map((e) => ({
        ...at(e.pos[0]),
        path: "",
        message: e.message.split("\n")[0] ?? e.message,
      })),
      { [file]: text },
    );
  }
  const locate = (path: PropertyKey[]): { file: string; line: number; col: number } => {
    // The deepest node that exists on the path: a missing key is reported at its parent.
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n) as unknown[], true) as Node | undefined;
      if (node?.range) return at(node.range[0]);
      if (n > 0) {
        const key = keyNode(doc, path.slice(0, n));
        if (key?.range) return at(key.range[0]);
      }
    }
    return { file, line: 1, col: 1 };
  };
  const problems: ScenarioProblem[] = [];
  const addIssues = (issues: z.core.$ZodIssue[], prefix: PropertyKey[]) => {
    for (const issue of issues) {
      const path = [...prefix, ...issue.path];
      problems.push({ ...locate(path), path: formatPath(path), message: issueMessage(issue) });
    }
  };

  const top = fileShape.safeParse(doc.toJS() ?? {});
  if (!top.success) {
    addIssues(top.error.issues, []);
    throw new ScenarioFileError(problems, { [file]: text });
  }
  const agentFile = resolveAgentFile(file, top.data.agent);
  if (!agentFile) {
    const where = top.data.agent ? locate(["agent"]) : { file, line: 1, col: 1 };
    problems.push({
      ...where,
      path: "agent",
      message: top.data.agent
        ? `agent file ${top.data.agent} not found`
        : `no agent file beside ${basename(file)}: add \`agent: ./name.agent.yaml\``,
    });
  }

  const scenarios: Scenario[] = [];
  top.data.scenarios.forEach((raw, si) => {
    const steps: LocatedStep[] = [];
    raw.steps.forEach((rawStep, index) => {
      const path = ["scenarios", si, "steps", index];
      const actions = Object.keys(rawStep).filter((k): k is StepAction =>
        stepActions.includes(k as StepAction),
      );
      if (actions.length !== 1) {
        problems.push({
          ...locate(path),
          path: formatPath(path),
          message:
            actions.length === 0
              ? `a step needs one of: ${stepActions.join(", ")}${suggest(Object.keys(rawStep))}`
              : `a step has one action, this one has ${actions.join(" and ")}: split it into ${actions.length} steps`,
        });
        return;
      }
      const action = actions[0] as StepAction;
      const parsed = stepSchemas[action].safeParse(rawStep);
      if (!parsed.success) {
        addIssues(parsed.error.issues, path);
        return;
      }
      const step = normalise(action, parsed.data as Record<string, unknown>);
      if (step.kind === "expect_say" && step.regex !== undefined) {
        try {
          new RegExp(step.regex, "i");
        } catch (error) {
          const at = [...path, "expect_say", "regex"];
          problems.push({
            ...locate(at),
            path: formatPath(at),
            message: `not a valid regular expression: ${(error as Error).message}`,
          });
          return;
        }
      }
      steps.push({ ...step, index, location: locate(path), label: describeStep(step) });
    });
    scenarios.push({
      name: raw.name,
      file,
      location: locate(["scenarios", si]),
      agentFile: agentFile ?? "",
      env: top.data.env ?? {},
      variables: { ...top.data.variables, ...raw.variables },
      mocks: { ...top.data.mocks, ...raw.mocks },
      steps,
    });
  });
  if (problems.length > 0) throw new ScenarioFileError(problems, { [file]: text });
  return scenarios;
}

const agentExtensions = [".agent.yaml", ".agent.yml", ".agent.md", ".agent.ts"];

/** `concierge.test.yaml` → `concierge.agent.{yaml,md,ts}` beside it, else the only agent file in the folder. */
export function resolveAgentFile(
  scenarioFile: string,
  declared: string | undefined,
): string | undefined {
  const dir = dirname(scenarioFile);
  if (declared) {
    const p = resolve(dir, declared);
    return existsSync(p) ? p : undefined;
  }
  const stem = basename(scenarioFile).replace(/\.test\.ya?ml$/, "");
  for (const ext of agentExtensions) {
    const p = resolve(dir, stem + ext);
    if (existsSync(p)) return p;
  }
  const agents = readdirSync(dir).filter((f) => agentExtensions.some((ext) => f.endsWith(ext)));
  return agents.length === 1 ? resolve(dir, agents[0] as string) : undefined;
}

function keyNode(doc: Document, path: PropertyKey[]): Node | undefined {
  const parent = path.length > 1 ? doc.getIn(path.slice(0, -1) as unknown[], true) : doc.contents;
  if (!isMap(parent)) return undefined;
  const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === path[path.length - 1]);
  return pair && isScalar(pair.key) ? pair.key : undefined;
}

function formatPath(path: PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join("");
}

function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === "unrecognized_keys") {
    return `unknown ${issue.keys.length === 1 ? "field" : "fields"} ${issue.keys.join(", ")}${suggest(issue.keys)}`;
  }
  return issue.message;
}

const knownWords = [
  ...stepActions,
  "env",
  "audio",
  "args",
  "within",
  "text",
  "reply",
  "name",
  "steps",
  "mocks",
  "variables",
  "agent",
  "scenarios",
  "output",
  "error",
  "latency",
  "state",
  "env",
];

function suggest(keys: string[]): string {
  for (const key of keys) {
    const best = knownWords.map((w) => ({ w, d: distance(key, w) })).sort((a, b) => a.d - b.d)[0];
    if (best && best.d > 0 && best.d <= Math.max(2, Math.floor(key.length / 3)))
      return ` (did you mean ${best.w}?)`;
  }
  return "";
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j] as number;
      row[j] = Math.min(
        (row[j] as number) + 1,
        (row[j - 1] as number) + 1,
        prev + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      prev = tmp;
    }
  }
  return row[b.length] as number;
}
