import { diffLines } from "diff";
import diffObjects from "microdiff";
import type { AgentView } from "./agent-view.ts";

export type ChangeArea =
  | "agent"
  | "model"
  | "instructions"
  | "voice"
  | "audio"
  | "session"
  | "tools"
  | "handoffs"
  | "mcp"
  | "greeting"
  | "fillers"
  | "approvals"
  | "tool runtime"
  | "limits"
  | "files";

/** One thing that differs between two versions of an agent. */
export interface Change {
  area: ChangeArea;
  kind: "added" | "removed" | "changed";
  /** What changed: a tool name, a field path (`audio.input.turn_detection.type`), … */
  subject: string;
  before?: unknown;
  after?: unknown;
  /** For long text (instructions): the lines, each starting with "+ ", "- " or "  ". */
  lines?: string[];
  /** True when the change reaches the model: what it is told, the tools it sees, what it is asked to say. */
  model: boolean;
}

type Tool = Record<string, unknown> & { type?: string; name?: string; server_label?: string };

/**
 * What changed from `before` to `after`, area by area: the compiled session (instructions as a line diff, voice,
 * audio, the other session fields, function tools, handoffs and MCP servers added, removed or changed), the greeting,
 * then what only the runtime uses: fillers (their words reach the model, their timing does not), approvals, per-tool
 * timeouts and concurrency, limits, and the agent's other files (handler code).
 */
export function semanticDiff(before: AgentView, after: AgentView): Change[] {
  const changes: Change[] = [];
  const a = before.session;
  const b = after.session;
  if (before.name !== after.name)
    changes.push({
      area: "agent",
      kind: "changed",
      subject: "name",
      before: before.name,
      after: after.name,
      model: false,
    });
  if (a.instructions !== b.instructions)
    changes.push({
      area: "instructions",
      kind: "changed",
      subject: "instructions",
      lines: lineDiff(String(a.instructions ?? ""), String(b.instructions ?? "")),
      model: true,
    });
  // No voice in the session: the API's default voice.
  const voice = (s: Record<string, unknown>) =>
    (s.audio as { output?: { voice?: unknown } } | undefined)?.output?.voice ?? "(default)";
  if (voice(a) !== voice(b))
    changes.push({
      area: "voice",
      kind: "changed",
      subject: "voice",
      before: voice(a),
      after: voice(b),
      model: true,
    });
  changes.push(...paths("audio", withoutVoice(a.audio), withoutVoice(b.audio), "audio", true));
  const rest = (s: Record<string, unknown>) => {
    const { instructions: _i, audio: _a, tools: _t, type: _y, ...others } = s;
    return others;
  };
  for (const c of paths("session", rest(a), rest(b), "", true))
    changes.push(c.subject === "model" ? { ...c, area: "model" } : c);
  changes.push(...toolChanges((a.tools ?? []) as Tool[], (b.tools ?? []) as Tool[]));
  if (before.greeting !== after.greeting)
    changes.push({
      area: "greeting",
      kind:
        before.greeting === undefined
          ? "added"
          : after.greeting === undefined
            ? "removed"
            : "changed",
      subject: "greeting",
      before: before.greeting,
      after: after.greeting,
      model: true,
    });
  for (const name of Object.keys(before.runtime)) {
    const next = after.runtime[name];
    const prev = before.runtime[name];
    if (!next || !prev) continue; // added or removed: reported with the tools
    for (const c of paths("tool runtime", prev, next, name, false)) {
      const field = c.subject.split(".")[1];
      if (field === "filler") {
        // The words of a filler are said by the model; when and how often is the scheduler's business.
        const said = /\.(lines|generate)(\.|$)/.test(c.subject);
        changes.push({ ...c, area: "fillers", model: said });
      } else changes.push({ ...c, area: field === "approval" ? "approvals" : "tool runtime" });
    }
  }
  changes.push(...paths("limits", before.limits ?? {}, after.limits ?? {}, "limits", false));
  changes.push(...paths("files", before.files, after.files, "", false).map(fileChange));
  return changes;
}

function toolChanges(before: Tool[], after: Tool[]): Change[] {
  const key = (t: Tool) => (t.type === "mcp" ? `mcp:${t.server_label}` : `function:${t.name}`);
  const area = (t: Tool) =>
    t.type === "mcp" ? "mcp" : String(t.name).startsWith("transfer_to_") ? "handoffs" : "tools";
  const old = new Map(before.map((t) => [key(t), t]));
  const now = new Map(after.map((t) => [key(t), t]));
  const out: Change[] = [];
  for (const [k, t] of old)
    if (!now.has(k)) out.push({ area: area(t), kind: "removed", subject: label(t), model: true });
  for (const [k, t] of now) {
    const prev = old.get(k);
    if (!prev) {
      out.push({ area: area(t), kind: "added", subject: label(t), after: summary(t), model: true });
      continue;
    }
    out.push(...paths(area(t), prev, t, label(t), true));
  }
  return out;
}

const label = (t: Tool) => String(t.type === "mcp" ? t.server_label : t.name);

function summary(t: Tool): unknown {
  return t.type === "mcp"
    ? { server_url: t.server_url, allowed_tools: t.allowed_tools }
    : String(t.description ?? "").split("\n")[0]; // its first line: the examples block follows
}

/** Field-by-field differences of two JSON values, as changes under `prefix`. */
function paths(
  area: ChangeArea,
  before: unknown,
  after: unknown,
  prefix: string,
  model: boolean,
): Change[] {
  const a = (before ?? {}) as Record<string, unknown>;
  const b = (after ?? {}) as Record<string, unknown>;
  return diffObjects(a, b).map((d) => {
    const subject = [prefix, ...d.path.map(String)].filter(Boolean).join(".");
    const kind = d.type === "CREATE" ? "added" : d.type === "REMOVE" ? "removed" : "changed";
    return {
      area,
      kind,
      subject,
      ...("oldValue" in d ? { before: d.oldValue } : {}),
      ...("value" in d ? { after: d.value } : {}),
      model,
    } as Change;
  });
}

function withoutVoice(audio: unknown): unknown {
  const a = audio as { output?: Record<string, unknown> } | undefined;
  if (!a?.output) return a;
  const { voice: _v, ...output } = a.output;
  if (Object.keys(output).length) return { ...a, output };
  const { output: _o, ...rest } = a;
  return rest;
}

function fileChange(c: Change): Change {
  return { ...c, area: "files", before: undefined, after: undefined };
}

/** A line diff: "+ " added, "- " removed, "  " kept (kept lines far from a change are left out). */
function lineDiff(before: string, after: string): string[] {
  const out: string[] = [];
  // A last line with or without its newline is the same line.
  const end = (t: string) => (t.endsWith("\n") ? t : `${t}\n`);
  for (const part of diffLines(end(before), end(after))) {
    const lines = part.value.replace(/\n$/, "").split("\n");
    const mark = part.added ? "+ " : part.removed ? "- " : "  ";
    if (!part.added && !part.removed && lines.length > 4) {
      out.push(`  ${lines[0]}`, "  …", `  ${lines.at(-1)}`);
      continue;
    }
    for (const line of lines) out.push(`${mark}${line}`);
  }
  return out;
}
