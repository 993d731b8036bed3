// The child processes of the benches that run Parley's callers and the local server apart (parley-audio-sessions,
// session-log's served calls): forked with IPC, killed with this process, and awaited message by message.
import { type ChildProcess, fork } from "node:child_process";
import { join } from "node:path";

export const children = new Set<ChildProcess>();
// Whatever happens to this process, its children go with it (they also exit when their IPC channel closes).
process.on("exit", () => {
  for (const child of children) child.kill("SIGKILL");
});
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.on(signal, () => process.exit(signal === "SIGINT" ? 130 : 143));

// `PARLEY_BENCH_PROFILE=<dir>` writes a CPU profile of the server and of the callers there (to find what falls behind).
const PROFILE = process.env.PARLEY_BENCH_PROFILE;

/**
 * Forks a bench script (`script`: its path under `bench/`) with tsx (Parley and the server from their built dist: see
 * peers.bench.ts).
 */
export function forkScript(script: string, args: string[]): ChildProcess {
  const child = fork(join(import.meta.dirname, "..", script), args, {
    execArgv: ["--import", "tsx", ...(PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${PROFILE}`] : [])],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  children.add(child);
  child.once("exit", () => children.delete(child));
  return child;
}

/** The next IPC message from `child` that has `key`; rejects when the child exits first or after `ms`. */
export function next<T>(child: ChildProcess, key: string, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const name =
      child.spawnargs
        .find((a) => a.endsWith(".ts"))
        ?.split("/")
        .pop() ?? "the child";
    const timer = setTimeout(() => done(new Error(`no "${key}" from ${name} in ${ms} ms`)), ms);
    const onMessage = (m: Record<string, unknown>) => {
      if (key in m) done(undefined, m[key] as T);
    };
    const onExit = (code: number | null, signal: string | null) =>
      done(new Error(`${name} exited (${code ?? signal}) before sending "${key}"`));
    const done = (error?: Error, value?: T) => {
      clearTimeout(timer);
      child.off("message", onMessage);
      child.off("exit", onExit);
      if (error) reject(error);
      else resolve(value as T);
    };
    child.on("message", onMessage);
    child.once("exit", onExit);
  });
}
