import { existsSync } from "node:fs";
import { relative } from "node:path";
import { AgentFileError, formatProblems, isParleyError } from "@parley/core";
import pc from "picocolors";
import { findAgentFiles, UsageError } from "../agent-file/find-agent-files.ts";
import { agentView } from "./agent-view.ts";
import { DiffError } from "./errors.ts";
import { renames } from "./gone.ts";
import { type AgentDiff, formatMarkdown, formatText } from "./render.ts";
import { parseSide, Revisions, type Side } from "./revision.ts";
import { compareOutcomes, scenarioOutcomes } from "./scenarios.ts";

export interface DiffOptions {
  /** The revision the working tree is compared with (default HEAD). */
  rev?: string;
  /** Run both versions' scenarios offline and show which outcomes change. */
  scenarios?: boolean;
  /** Markdown for a pull-request comment. */
  markdown?: boolean;
}

export interface DiffIo {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown };
  env: NodeJS.ProcessEnv;
  cwd?: string;
}

/**
 * `agent diff [old] [new]`: resolves to 0 when nothing that reaches the model changed (and no scenario outcome
 * changed), 1 when something did, 2 when the versions cannot be compared (a bad argument, git, an invalid agent).
 */
export async function runDiff(args: string[], options: DiffOptions, io: DiffIo): Promise<number> {
  const cwd = io.cwd ?? process.cwd();
  const revisions = new Revisions(cwd);
  try {
    const diffs: AgentDiff[] = [];
    const pairs = await sidesOf(args, options, revisions, cwd);
    for (const pair of pairs) diffs.push(await compare(pair, options, revisions, io.env, cwd));
    const shown = args.length
      ? diffs
      : diffs.filter((d) => d.status || d.renamedFrom || d.changes.length || d.scenarios?.length);
    if (options.markdown) io.stdout.write(`${formatMarkdown(shown)}\n`);
    else {
      const c = pc.createColors(Boolean(io.stdout.isTTY) && !io.env.NO_COLOR);
      io.stdout.write(formatText(shown, { add: c.green, remove: c.red, dim: c.dim, bold: c.bold }));
    }
    if (!shown.length)
      io.stdout.write(
        `no agent changed (${pairs.length} compared with ${options.rev ?? "HEAD"})\n`,
      );
    const changed = shown.some(
      (d) => d.status || d.changes.some((c) => c.model) || d.scenarios?.length,
    );
    return changed ? 1 : 0;
  } catch (error) {
    if (error instanceof AgentFileError)
      io.stderr.write(`${formatProblems(error.problems, error.sources, { cwd })}\n`);
    else if (isParleyError(error) || error instanceof UsageError)
      io.stderr.write(
        `error[${(error as { code?: string }).code ?? "diff_usage"}]: ${error.message}\n`,
      );
    else throw error;
    return 2;
  } finally {
    await revisions.close();
  }
}

interface Pair {
  old: Side | undefined;
  now: Side | undefined;
  label: string;
  /** The agent's path in the revision, when it was renamed or moved since. */
  renamedFrom?: string;
}

async function sidesOf(
  args: string[],
  options: DiffOptions,
  revisions: Revisions,
  cwd: string,
): Promise<Pair[]> {
  const rev = options.rev ?? "HEAD";
  if (args.length > 2)
    throw new DiffError("diff_usage", "give at most two versions: agent diff <old> <new>");
  if (args.length === 2) {
    if (options.rev)
      throw new DiffError(
        "diff_usage",
        "--rev compares one file with the working tree: give one path with it",
      );
    const [a, b] = args.map((arg) => parseSide(arg, cwd)) as [Side, Side];
    return [{ old: a, now: b, label: labelOf(b, cwd) }];
  }
  if (args.length === 1) {
    const side = parseSide(args[0] as string, cwd);
    if (side.kind === "rev") {
      // `agent diff HEAD~2:agents/x.agent.yaml`: that version against the same file in the working tree.
      const now: Side = {
        kind: "file",
        path: `${await revisions.root()}/${side.path.replace(/^\.\//, "")}`,
      };
      return [{ old: side, now, label: labelOf(now, cwd) }];
    }
    return [
      { old: { kind: "rev", rev, path: side.path }, now: side, label: relative(cwd, side.path) },
    ];
  }
  const before = await revisions.agentFilesAt(rev, cwd);
  // Every agent deleted is still a change to show, so a tree with none left is not an error when the revision had some.
  const files = before.length ? agentFilesOrNone(cwd) : findAgentFiles([cwd]);
  const pairs: Pair[] = [];
  const added: string[] = [];
  for (const file of files) {
    const label = relative(cwd, file);
    if (await revisions.has(rev, file))
      pairs.push({
        old: { kind: "rev", rev, path: file },
        now: { kind: "file", path: file },
        label,
      });
    else added.push(file);
  }
  const gone = before.filter((file) => !existsSync(file));
  const moved = await renames(gone, added, (file) => revisions.textAt(rev, file));
  for (const file of gone) {
    const to = moved.get(file);
    pairs.push(
      to
        ? {
            old: { kind: "rev", rev, path: file },
            now: { kind: "file", path: to },
            label: relative(cwd, to),
            renamedFrom: relative(cwd, file),
          }
        : { old: { kind: "rev", rev, path: file }, now: undefined, label: relative(cwd, file) },
    );
  }
  const renamedTo = new Set(moved.values());
  for (const file of added)
    if (!renamedTo.has(file))
      pairs.push({ old: undefined, now: { kind: "file", path: file }, label: relative(cwd, file) });
  return pairs.sort((a, b) => a.label.localeCompare(b.label));
}

/** The working tree's agent files under `cwd`, or none (instead of a usage error) when every one was deleted. */
function agentFilesOrNone(cwd: string): string[] {
  try {
    return findAgentFiles([cwd]);
  } catch (error) {
    if (error instanceof UsageError) return [];
    throw error;
  }
}

function labelOf(side: Side, cwd: string): string {
  return side.kind === "rev" ? `${side.rev}:${side.path}` : relative(cwd, side.path) || side.path;
}

function sideName(side: Side, other: Side | undefined, cwd: string): string {
  if (side.kind === "rev") return side.rev;
  if (other && other.kind === "rev") return "working tree";
  return relative(cwd, side.path) || side.path;
}

async function compare(
  pair: Pair,
  options: DiffOptions,
  revisions: Revisions,
  env: NodeJS.ProcessEnv,
  cwd: string,
): Promise<AgentDiff> {
  const { old, now, label } = pair;
  const rev = options.rev ?? "HEAD";
  if (!old) return { label, sides: `not in ${rev} → working tree`, changes: [], status: "added" };
  if (!now) return { label, sides: `${rev} → not in working tree`, changes: [], status: "removed" };
  const sides = `${pair.renamedFrom ? `${rev}:${pair.renamedFrom}` : sideName(old, now, cwd)} → ${sideName(now, old, cwd)}`;
  const [oldFile, newFile] = [await revisions.file(old), await revisions.file(now)];
  const before = await agentView(oldFile, env);
  const after = await agentView(newFile, env);
  const { semanticDiff } = await import("./semantic.ts");
  const diff: AgentDiff = {
    label,
    sides,
    changes: semanticDiff(before, after),
    ...(pair.renamedFrom ? { renamedFrom: pair.renamedFrom } : {}),
  };
  if (options.scenarios)
    diff.scenarios = compareOutcomes(
      await scenarioOutcomes(before.file),
      await scenarioOutcomes(after.file),
    );
  return diff;
}
