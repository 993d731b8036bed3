import { closeSync, openSync, readdirSync, readSync, rmSync, statSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import type { SessionLogHeader } from "@parley/core";

/** How many session logs, how old and how much disk `agent dev` and `agent serve` keep (0: no limit). */
export interface Retention {
  /** Keep at most this many logs (the newest). */
  keep: number;
  /** Remove logs last written more than this many days ago. */
  days: number;
  /** Keep the folder's logs (with their audio and replay files) under this many MiB. */
  maxMb: number;
}

export const DEFAULT_RETENTION: Retention = { keep: 500, days: 30, maxMb: 1024 };

/** A log whose writer cannot be asked (another host, no header yet) counts as written while modified this recently. */
const QUIET_WRITER_MS = 24 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

interface LogEntry {
  id: string;
  mtimeMs: number;
  /** The log and the files beside it named after it (`<id>.user.audio`, `<id>.test.yaml`, images). */
  files: string[];
  bytes: number;
  writing: boolean;
}

export interface PruneResult {
  removed: string[];
  /** Logs kept because their session is still being written, though the policy would remove them. */
  spared: string[];
}

/**
 * Applies the retention policy to a session log folder: removes the oldest logs past `keep`, those last written
 * more than `days` ago, and the oldest until the folder is under `maxMb`, each with the files named after it. A log
 * still being written is never removed: its session has not ended (no `closed` line yet) and the process named in
 * its header is alive on this host (or, for a log from another host or one without a header yet, it was written
 * in the last 24 hours).
 *
 * @example
 * pruneSessionLogs(".parley/logs", { keep: 100, days: 7, maxMb: 0 }) // { removed: ["2026-…-desk-9ca0d7"], spared: [] }
 */
export function pruneSessionLogs(dir: string, policy: Retention, now = Date.now()): PruneResult {
  const logs = entries(dir, now).sort((a, b) => b.mtimeMs - a.mtimeMs || (a.id < b.id ? 1 : -1));
  const remove = new Set<LogEntry>();
  logs.forEach((log, i) => {
    if (policy.keep > 0 && i >= policy.keep) remove.add(log);
    if (policy.days > 0 && now - log.mtimeMs > policy.days * DAY_MS) remove.add(log);
  });
  if (policy.maxMb > 0) {
    let total = logs.reduce((sum, l) => sum + (remove.has(l) ? 0 : l.bytes), 0);
    for (let i = logs.length - 1; i >= 0 && total > policy.maxMb * 1024 * 1024; i--) {
      const log = logs[i] as LogEntry;
      if (remove.has(log) || log.writing) continue;
      remove.add(log);
      total -= log.bytes;
    }
  }
  const result: PruneResult = { removed: [], spared: [] };
  for (const log of remove) {
    if (log.writing) {
      result.spared.push(log.id);
      continue;
    }
    for (const file of log.files) rmSync(file, { force: true });
    result.removed.push(log.id);
  }
  return result;
}

function entries(dir: string, now: number): LogEntry[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return []; // no folder yet: nothing to keep or remove
  }
  const out: LogEntry[] = [];
  for (const name of names) {
    if (!name.endsWith(".jsonl")) continue;
    const id = name.slice(0, -".jsonl".length);
    const file = join(dir, name);
    const files = names.filter((n) => n.startsWith(`${id}.`)).map((n) => join(dir, n));
    let mtimeMs = 0;
    let bytes = 0;
    try {
      mtimeMs = statSync(file).mtimeMs;
      for (const f of files) bytes += statSync(f).size;
    } catch {
      continue; // removed meanwhile
    }
    out.push({ id, mtimeMs, files, bytes, writing: beingWritten(file, now - mtimeMs) });
  }
  return out;
}

/** Whether a log's session is still going (see pruneSessionLogs). */
function beingWritten(file: string, quietMs: number): boolean {
  const { first, last } = edges(file);
  // The stream's `closed` ends a session; a last `idle` or two may follow it.
  if (last.some((line) => lineType(line) === "closed")) return false;
  let header: Partial<SessionLogHeader> | undefined;
  try {
    header = JSON.parse(first) as Partial<SessionLogHeader>;
  } catch {
    header = undefined;
  }
  const writer = header?.writer;
  if (!writer || writer.host !== hostname()) return quietMs < QUIET_WRITER_MS;
  return alive(writer.pid);
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM"; // alive, someone else's
  }
}

function lineType(line: string): string | undefined {
  try {
    return (JSON.parse(line) as { type?: string }).type;
  } catch {
    return undefined;
  }
}

/** The first line (up to 1 MiB) and the last few lines (within its last 64 KiB) of a file. */
function edges(file: string): { first: string; last: string[] } {
  const fd = openSync(file, "r");
  try {
    const size = statSync(file).size;
    const head = Buffer.alloc(Math.min(size, 1024 * 1024));
    readSync(fd, head, 0, head.length, 0);
    const headText = head.toString("utf8");
    const nl = headText.indexOf("\n");
    const first = nl < 0 ? headText : headText.slice(0, nl);
    const tailLength = Math.min(size, 64 * 1024);
    const tail = Buffer.alloc(tailLength);
    readSync(fd, tail, 0, tailLength, size - tailLength);
    const lines = tail.toString("utf8").trimEnd().split("\n");
    return { first, last: lines.slice(-4) };
  } finally {
    closeSync(fd);
  }
}
