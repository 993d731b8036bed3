import type { ScenarioChange } from "./scenarios.ts";
import type { Change } from "./semantic.ts";

/** One compared agent: its label, what changed, and (with --scenarios) which outcomes changed. */
export interface AgentDiff {
  /** `agents/desk.agent.yaml`. */
  label: string;
  /** `HEAD → working tree`. */
  sides: string;
  changes: Change[];
  scenarios?: ScenarioChange[];
  /** The agent is new, or gone, in the second version. */
  status?: "added" | "removed";
  /** The agent's path in the first version, when it was renamed or moved (its changes are shown as usual). */
  renamedFrom?: string;
}

interface Paint {
  add(text: string): string;
  remove(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

const plain: Paint = { add: (t) => t, remove: (t) => t, dim: (t) => t, bold: (t) => t };

/** The diff for a terminal: per agent, what reaches the model, what only the runtime uses, scenario outcomes. */
export function formatText(diffs: AgentDiff[], paint: Paint = plain): string {
  const out: string[] = [];
  for (const d of diffs) {
    out.push(paint.bold(`${d.label}  ${paint.dim(d.sides)}`));
    if (d.status) {
      out.push(
        `  ${d.status === "added" ? paint.add("new agent") : paint.remove("agent removed")}`,
        "",
      );
      continue;
    }
    if (d.renamedFrom) out.push(`  renamed from ${d.renamedFrom}`);
    const model = d.changes.filter((c) => c.model);
    const runtime = d.changes.filter((c) => !c.model);
    if (!model.length && !runtime.length && !d.scenarios?.length)
      out.push(paint.dim(d.renamedFrom ? "  no other change" : "  no change"));
    for (const [title, list] of [
      ["reaches the model", model],
      ["runtime only (not sent to the model)", runtime],
    ] as const) {
      if (!list.length) continue;
      out.push(`  ${title}:`);
      for (const c of list) out.push(...textChange(c, paint).map((l) => `    ${l}`));
    }
    if (d.scenarios?.length) {
      out.push("  scenario outcomes (offline):");
      for (const s of d.scenarios) out.push(`    ${scenarioLine(s, paint)}`);
    }
    out.push("");
  }
  return `${out.join("\n")}`;
}

function textChange(c: Change, paint: Paint): string[] {
  const head = `${c.area}: `;
  if (c.lines)
    return [
      c.subject === c.area ? `${c.area}:` : `${head}${c.subject}`,
      ...c.lines.map(
        (l) =>
          `  ${l.startsWith("+ ") ? paint.add(l) : l.startsWith("- ") ? paint.remove(l) : paint.dim(l)}`,
      ),
    ];
  if (c.area === "files") return [`${head}${c.subject} ${c.kind}`];
  if (c.kind === "added")
    return [paint.add(`${head}+ ${c.subject}${c.after !== undefined ? ` ${value(c.after)}` : ""}`)];
  if (c.kind === "removed")
    return [
      paint.remove(`${head}- ${c.subject}${c.before !== undefined ? ` ${value(c.before)}` : ""}`),
    ];
  return [`${head}${c.subject}: ${paint.remove(value(c.before))} → ${paint.add(value(c.after))}`];
}

function scenarioLine(s: ScenarioChange, paint: Paint): string {
  const mark = (o: string | undefined) =>
    o === "passed" ? "pass" : o === "failed" ? "FAIL" : "none";
  const line = `${s.name} (${s.file}): ${mark(s.before)} → ${mark(s.after)}`;
  const why = s.message ? `\n      ${s.message.split("\n")[0]}` : "";
  return `${s.after === "failed" ? paint.remove(line) : paint.add(line)}${why}`;
}

/** The diff as Markdown for a pull-request comment. */
export function formatMarkdown(diffs: AgentDiff[]): string {
  const out: string[] = [];
  for (const d of diffs) {
    out.push(`### \`${d.label}\` (${d.sides})`, "");
    if (d.status) {
      out.push(d.status === "added" ? "New agent." : "Agent removed.", "");
      continue;
    }
    if (d.renamedFrom) out.push(`Renamed from \`${d.renamedFrom}\`.`, "");
    const model = d.changes.filter((c) => c.model);
    const runtime = d.changes.filter((c) => !c.model);
    if (!model.length && !runtime.length && !d.scenarios?.length)
      out.push(d.renamedFrom ? "No other change." : "No change.", "");
    for (const [title, list] of [
      ["Reaches the model", model],
      ["Runtime only (not sent to the model)", runtime],
    ] as const) {
      if (!list.length) continue;
      out.push(`**${title}**`, "", "| area | what | before | after |", "|---|---|---|---|");
      const texts = list.filter((c) => c.lines);
      for (const c of list.filter((c) => !c.lines))
        out.push(
          `| ${c.area} | ${cell(c.subject)}${c.kind === "changed" ? "" : ` (${c.kind})`} | ${c.before === undefined ? "" : cell(value(c.before))} | ${c.after === undefined ? "" : cell(value(c.after))} |`,
        );
      for (const c of texts) out.push(`| ${c.area} | ${c.subject} | see below | |`);
      out.push("");
      for (const c of texts)
        out.push(
          "```diff",
          ...(c.lines ?? []).map((l) => l.replace(/^ {2}/, " ").replace(/^([+-]) /, "$1")),
          "```",
          "",
        );
    }
    if (d.scenarios?.length) {
      out.push(
        "**Scenario outcomes (offline)**",
        "",
        "| scenario | before | after | first failure |",
        "|---|---|---|---|",
      );
      for (const s of d.scenarios)
        out.push(
          `| ${cell(s.name)} | ${s.before ?? "—"} | ${s.after ?? "—"} | ${cell(s.message?.split("\n")[0] ?? "")} |`,
        );
      out.push("");
    }
  }
  return `${out.join("\n")}`;
}

function value(v: unknown): string {
  const text = typeof v === "string" ? JSON.stringify(v) : (JSON.stringify(v) ?? String(v));
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
}

function cell(text: string): string {
  return `\`${text.replace(/\|/g, "\\|").replace(/`/g, "'")}\``;
}
