import { readFileSync, statSync } from "node:fs";

const ENV_REF = /\$\{env:([A-Za-z_][A-Za-z0-9_]*)/g;
/** Agent sources are small; a file past this is not scanned (the loader bounds sizes itself). */
const MAX_SCAN_BYTES = 4 * 1024 * 1024;

/**
 * The values `${env:NAME}` references in `files` resolve to on this machine. Whatever an agent file reads from the
 * environment is treated as a secret wherever it lands (an MCP URL, `instructions`, `prompt.variables`,
 * `tracing.metadata`), so CLI output masks these values by value, not only by shape.
 *
 * @example
 * const secrets = envSecretValues([agent.file, ...agent.files]);
 * process.stdout.write(JSON.stringify(redact(output, { values: secrets })));
 */
export function envSecretValues(
  files: readonly string[],
  env: Record<string, string | undefined> = process.env,
): string[] {
  const values = new Set<string>();
  for (const file of new Set(files)) {
    const text = readSmallText(file);
    if (text === undefined) continue;
    for (const match of text.matchAll(ENV_REF)) {
      const value = env[match[1] as string];
      if (value) values.add(value);
    }
  }
  return [...values];
}

function readSmallText(file: string): string | undefined {
  try {
    const stat = statSync(file);
    if (!stat.isFile() || stat.size > MAX_SCAN_BYTES) return undefined;
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}
