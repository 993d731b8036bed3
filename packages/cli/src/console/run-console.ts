import { spawn } from "node:child_process";
import { relative } from "node:path";
import { AgentFileError, formatProblems } from "@parley/core";
import { resolvePace } from "../dev/target.ts";
import { parseVariables } from "../dev/variables.ts";
import { shortId } from "../logs/list.ts";
import { type LogFlags, logSettings } from "../logs/settings.ts";
import { startConsole } from "./start-console.ts";

export interface RunConsoleFlags extends LogFlags {
  live?: boolean;
  url?: string;
  pace?: string;
  var?: string[];
  watch?: boolean;
  port?: number;
  host?: string;
  open?: boolean;
}

export interface RunConsoleIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

/**
 * `agent dev --web`: starts the session and the console, prints the console's URL (with its token), opens a browser
 * when asked, and runs until SIGINT/SIGTERM. Resolves to the exit code.
 */
export async function runConsole(
  file: string,
  flags: RunConsoleFlags,
  io: RunConsoleIo,
): Promise<number> {
  const cwd = process.cwd();
  const logs = logSettings(flags, io.env, cwd);
  let handle: Awaited<ReturnType<typeof startConsole>>;
  try {
    handle = await startConsole(file, {
      pace: resolvePace(flags.pace, io.env),
      variables: parseVariables(flags.var ?? []),
      env: io.env,
      cwd,
      ...(logs ? { logs, notice: (message: string) => io.stderr.write(`${message}\n`) } : {}),
      ...(flags.live ? { live: true } : {}),
      ...(flags.url ? { url: flags.url } : {}),
      ...(flags.watch === false ? { watch: false } : {}),
      ...(flags.port !== undefined ? { port: flags.port } : {}),
      ...(flags.host ? { host: flags.host } : {}),
    });
  } catch (error) {
    if (error instanceof AgentFileError) {
      io.stderr.write(`${formatProblems(error.problems, error.sources, { cwd })}\n`);
      return 1;
    }
    throw error;
  }
  io.stdout.write(
    `Parley console · ${handle.agent.name}\n${handle.target.describe}\nOpen ${handle.url}\n(the address holds a secret token: share it only with who may talk to the agent) · Ctrl-C to stop\n`,
  );
  if (handle.agent.warnings.length)
    io.stderr.write(`${formatProblems(handle.agent.warnings, {}, { cwd })}\n`);
  if (flags.open) openBrowser(handle.url, io);
  await new Promise<void>((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });
  await handle.close();
  // As `agent dev` ends: where each session's log is (one per session: Restart starts another).
  for (const file of handle.logFiles)
    io.stderr.write(`session log: ${relative(cwd, file)} (agent logs show ${shortId(file)})\n`);
  io.stderr.write("console stopped\n");
  return 0;
}

/** Opens the URL in the desktop's browser, if there is one; says so when there is not. */
function openBrowser(url: string, io: RunConsoleIo): void {
  const command =
    process.platform === "darwin" ? "open" : process.platform === "win32" ? "explorer" : "xdg-open";
  const child = spawn(command, [url], { stdio: "ignore", detached: true });
  child.on("error", () =>
    io.stderr.write(`--open: no browser could be started (${command}); open the address above\n`),
  );
  child.unref();
}
