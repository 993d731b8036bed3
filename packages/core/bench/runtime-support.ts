// Shared by the runtime benchmarks: the server child process and percentiles.
import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";

export interface ServerProcess {
  url: string;
  certificate: string | undefined;
  stop(): Promise<void>;
}

/** Starts bench/runtime-server.ts in a child process and waits for its URL. */
export async function serverProcess(options: { tls?: boolean } = {}): Promise<ServerProcess> {
  const script = new URL("./runtime-server.ts", import.meta.url).pathname;
  const child: ChildProcess = spawn(
    process.execPath,
    ["--import", "tsx", script, ...(options.tls ? ["--tls"] : [])],
    {
      stdio: ["pipe", "pipe", "inherit"],
    },
  );
  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    rl.once("line", (l) => {
      rl.close();
      resolve(l);
    });
    child.once("exit", (code) => reject(new Error(`the server process exited (${code})`)));
  });
  const { url, certificate } = JSON.parse(line) as { url: string; certificate?: string };
  return {
    url,
    certificate,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.stdin?.end();
      }),
  };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const at = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[at] as number;
}

/** `name: median X, p99 Y (unit)`, the line format bench/run.ts collects. */
export function report(name: string, samples: number[], unit: string, digits = 2): void {
  const sorted = [...samples].sort((a, b) => a - b);
  const f = (n: number) => n.toFixed(digits);
  process.stdout.write(
    `${name}: median ${f(percentile(sorted, 50))}, p99 ${f(percentile(sorted, 99))} (${unit})\n`,
  );
}

export function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}
