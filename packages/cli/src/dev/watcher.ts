import { resolve } from "node:path";
import type { FSWatcher } from "chokidar";

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
  const changed = (path: string | Error) => {
    if (typeof path !== "string") return;
    pending.add(resolve(path));
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      const batch = [...pending];
      pending = new Set();
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
      await watcher.close();
    },
  };
}
