import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export interface LoadResult {
  ready: number;
  lateness: number[];
  windowEvents: number[];
  eventsPerSecond: number;
}

/** Runs bench/clients/load.ts in a child process against `url` and returns what it measured. */
export function runClients(
  url: string,
  mode: "idle" | "text" | "audio",
  sessions: number,
  seconds: number,
  /** Told when the client's measuring window opens ("measuring") and closes ("measured"). */
  onPhase?: (phase: "measuring" | "measured") => void,
): Promise<LoadResult> {
  const script = fileURLToPath(new URL("./clients/load.ts", import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", script, url, mode, String(sessions), String(seconds)],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => {
      err += d;
      for (const phase of ["measuring", "measured"] as const)
        if (String(d).includes(`${phase}\n`)) onPhase?.(phase);
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), (seconds + 60) * 1000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`load client exited with ${code}: ${err}`));
      resolve(JSON.parse(out.trim().split("\n").at(-1) as string) as LoadResult);
    });
  });
}
