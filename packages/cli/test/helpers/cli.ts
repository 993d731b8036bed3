import { spawn as spawnProcess } from "node:child_process";
import { join } from "node:path";
import { type IPty, spawn as spawnPty } from "@lydell/node-pty";

/** The real `agent` binary, run as a user runs it. */
export const BIN = join(import.meta.dirname, "../../bin/agent.js");

/** Environment for CLI tests: no API key (always the local server), no colours, fast local pace. */
export function testEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && k !== "OPENAI_API_KEY") env[k] = v;
  return { ...env, NO_COLOR: "1", FORCE_COLOR: "0", PARLEY_SIM_PACE: "0", ...extra };
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `agent …args` to completion with `input` piped to stdin.
 *
 * @example
 * const { code, stdout } = await runCli(["test", dir]);
 */
export function runCli(
  args: string[],
  options: { cwd?: string; input?: string; env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawnProcess(process.execPath, [BIN, ...args], {
      cwd: options.cwd,
      env: options.env ?? testEnv(),
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(
        new Error(
          `agent ${args.join(" ")} did not finish in ${options.timeoutMs ?? 40_000} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`,
        ),
      );
    }, options.timeoutMs ?? 40_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? "");
  });
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: terminal escape sequences
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b[()][A-Z0-9]|\u001b[=>78]/g;

/** A terminal session with `agent`: type into it, wait for text on the screen. */
export class PtySession {
  readonly pty: IPty;
  #raw = "";
  #exit: Promise<number>;
  #waiters = new Set<() => void>();

  constructor(
    args: string[],
    options: { cwd?: string; env?: Record<string, string>; cols?: number } = {},
  ) {
    this.pty = spawnPty(process.execPath, [BIN, ...args], {
      cols: options.cols ?? 120,
      rows: 40,
      cwd: options.cwd ?? process.cwd(),
      env: options.env ?? testEnv(),
    });
    this.pty.onData((d) => {
      this.#raw += d;
      for (const w of [...this.#waiters]) w();
    });
    this.#exit = new Promise((resolve) => this.pty.onExit((e) => resolve(e.exitCode)));
  }

  /** Everything written so far, escape codes removed. */
  get text(): string {
    return this.#raw.replace(ANSI, "").replace(/\r/g, "");
  }

  /** Everything written so far, with escape codes. */
  get raw(): string {
    return this.#raw;
  }

  type(text: string): void {
    this.pty.write(text);
  }

  /** Waits until the screen text (after `from` characters) matches. Returns the index just past the match. */
  waitFor(
    pattern: string | RegExp,
    options: { timeoutMs?: number; from?: number } = {},
  ): Promise<number> {
    const from = options.from ?? 0;
    const find = () => {
      const text = this.text.slice(from);
      if (typeof pattern === "string") {
        const i = text.indexOf(pattern);
        return i < 0 ? -1 : from + i + pattern.length;
      }
      const m = pattern.exec(text);
      return m ? from + m.index + m[0].length : -1;
    };
    return new Promise((resolve, reject) => {
      const check = () => {
        const at = find();
        if (at >= 0) {
          this.#waiters.delete(check);
          clearTimeout(timer);
          resolve(at);
        }
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(
          new Error(
            `timed out waiting for ${String(pattern)}; screen so far:\n${this.text.slice(-3000)}`,
          ),
        );
      }, options.timeoutMs ?? 30_000);
      this.#waiters.add(check);
      check();
    });
  }

  exited(timeoutMs = 30_000): Promise<number> {
    return Promise.race([
      this.#exit,
      new Promise<number>((_, reject) =>
        setTimeout(
          () => reject(new Error(`still running; screen:\n${this.text.slice(-2000)}`)),
          timeoutMs,
        ),
      ),
    ]);
  }

  kill(): void {
    try {
      this.pty.kill();
    } catch {
      // already gone
    }
  }
}
