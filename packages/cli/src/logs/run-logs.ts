import { writeFile } from "node:fs/promises";
import { basename, dirname, resolve } from "node:path";
import { ParleyError, readSessionLog } from "@parley/core";
import { findLog } from "./find.ts";
import { type LogsIo, listLogs } from "./list.ts";
import { DEFAULT_LOG_DIR, LOG_DIR_ENV } from "./settings.ts";
import { formatLog } from "./show.ts";
import { logToScenario } from "./to-scenario.ts";

export { listLogs };

/** The folder `agent logs` reads: the one given, else PARLEY_SESSION_LOGS (unless `off`), else .parley/logs. */
export function logsDir(dir: string | undefined, env: NodeJS.ProcessEnv): string {
  if (dir) return dir;
  const fromEnv = env[LOG_DIR_ENV]?.trim();
  return fromEnv && !/^(off|false|0|no)$/i.test(fromEnv) ? fromEnv : DEFAULT_LOG_DIR;
}

/** `agent logs show <id>`. */
export async function showLog(ref: string, dir: string, io: LogsIo): Promise<number> {
  io.stdout.write(formatLog(await readSessionLog(findLog(ref, dir))));
  return 0;
}

export interface ToTestOptions {
  /** Write the scenario here (default: stdout). */
  output?: string;
  /** Test this agent file instead of the one the log names. */
  agent?: string;
}

/**
 * `agent logs to-test <id>`: the recorded session as a scenario file, on stdout or in `--output`. Returns the file
 * written (or undefined for stdout).
 */
export async function logToTest(
  ref: string,
  dir: string,
  options: ToTestOptions,
  io: LogsIo,
): Promise<string | undefined> {
  const log = await readSessionLog(findLog(ref, dir));
  const out = options.output ? resolve(options.output) : undefined;
  const folder = out ? dirname(out) : process.cwd();
  const { text, images } = logToScenario(log, {
    dir: folder,
    ...(options.agent ? { agentFile: resolve(options.agent) } : {}),
    ...(out ? { imageStem: basename(out).replace(/(\.test)?\.ya?ml$/, "") } : {}),
  });
  try {
    // The images the user sent go beside the scenario (the current folder when it goes to stdout).
    for (const image of images) await writeFile(resolve(folder, image.path), image.bytes);
    if (!out) {
      io.stdout.write(text);
      return undefined;
    }
    await writeFile(out, text);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new ParleyError(
      "output_failed",
      `${options.output ?? "."}: could not write the scenario (${reason})`,
      {
        cause: error,
      },
    );
  }
  return out;
}
