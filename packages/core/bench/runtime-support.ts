// Shared by the runtime benchmarks: the server child process (statistics: bench/stats.ts).
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

export function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}
