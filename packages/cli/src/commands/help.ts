/** The "Examples:" block every command's `--help` ends with: `[command line, what it does]` pairs. */
export function examples(...pairs: [string, string][]): string {
  const width = Math.max(...pairs.map(([cmd]) => cmd.length));
  return `\nExamples:\n${pairs.map(([cmd, what]) => `  $ ${cmd.padEnd(width)}   ${what}`).join("\n")}\n`;
}
