import { statSync } from "node:fs";
import { resolve } from "node:path";
import type { FSWatcher } from "chokidar";

/**
 * chokidar drops a second `change` of a path that comes within 50 ms of the last one it emitted (its own throttle,
 * not configurable): a save made right after a reload would never be seen. So each reported file is looked at again
 * once that window is over, and reported again if it changed meanwhile without an event.
 */
const RECHECK_AFTER_MS = 60;

/** What tells one version of a file from the next without reading it. */
function signature(file: string): string {
  try {
    const s = statSync(file);
    return `${s.ino}:${s.size}:${s.mtimeMs}`;
  } catch {
    return "missing";
  }
}

export interface AgentWatcher {
  /** Replaces the watched set (after a reload the agent may extend or import different files). */
  setFiles(files: readonly string[]): void;
  close(): Promise<void>;
}

/**
 * Watches an agent's files (the agent file, the files it extends, handler modules: `LoadedAgent.files`) and calls
 * `onChange` once per save burst with the files that changed. Editors often write a file in several steps
 * (truncate, write, rename); events within `debounceMs` are coalesced into one reload.
 *
 * @example
 * const watcher = await watchAgentFiles(agent.files, (changed) => reload(changed));
 */
export async function watchAgentFiles(
  files: readonly string[],
  onChange: (changed: string[]) => void,
  options: { debounceMs?: number } = {},
): Promise<AgentWatcher> {
  const { watch } = await import("chokidar");
  const debounceMs = options.debounceMs ?? 20;
  let watched = new Set(files.map((f) => resolve(f)));
  const watcher: FSWatcher = watch([...watched], { ignoreInitial: true, atomic: true });
  let pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  // Files reported, with their signature then, to look at again after chokidar's throttle window.
  const rechecks = new Set<{ timer: NodeJS.Timeout; seen: Map<string, string> }>();
  const changed = (path: string | Error) => {
    if (typeof path !== "string") return;
    const file = resolve(path);
    // An event came: the report it leads to is looked at again on its own.
    for (const r of rechecks) r.seen.delete(file);
    pending.add(file);
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      const batch = [...pending];
      pending = new Set();
      const seen = new Map(batch.map((f) => [f, signature(f)]));
      const recheck = {
        seen,
        timer: setTimeout(() => {
          rechecks.delete(recheck);
          for (const [f, before] of seen) if (watched.has(f) && signature(f) !== before) changed(f);
        }, RECHECK_AFTER_MS),
      };
      rechecks.add(recheck);
      onChange(batch);
    }, debounceMs);
  };
  watcher.on("change", changed).on("add", changed).on("unlink", changed);
  // A file that cannot be watched (EACCES, EMFILE) must not crash the session: an `error` without a listener throws.
  watcher.on("error", () => {});
  await new Promise<void>((ready) => watcher.once("ready", () => ready()));
  return {
    setFiles(next) {
      const nextSet = new Set(next.map((f) => resolve(f)));
      const removed = [...watched].filter((f) => !nextSet.has(f));
      const added = [...nextSet].filter((f) => !watched.has(f));
      if (removed.length) watcher.unwatch(removed);
      if (added.length) watcher.add(added);
      watched = nextSet;
    },
    async close() {
      if (timer) clearTimeout(timer);
      for (const r of rechecks) clearTimeout(r.timer);
      rechecks.clear();
      await watcher.close();
    },
  };
}
