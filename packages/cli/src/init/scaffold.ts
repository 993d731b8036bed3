import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join, relative, resolve, sep } from "node:path";
import { ParleyError } from "@parley/core";
import { CLONE_ROOT, findInstalled, isInside } from "../install/where.ts";
import { templates } from "./templates.ts";

export interface ScaffoldOptions {
  /** Folder to create the agent in (created if missing). */
  dir: string;
  name: string;
  template?: string;
  /** Overwrite existing files. */
  force?: boolean;
}

const NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/i;

/**
 * Writes a new agent (agent file, tool handler, scenario) into `dir` and returns the paths written.
 * Throws `ParleyError` `init_invalid` for a bad name or template, `init_exists` rather than overwrite a file,
 * `init_failed` when the folder cannot be written.
 *
 * @example
 * const files = await scaffoldAgent({ dir: "weather", name: "weather" });
 */
export async function scaffoldAgent(options: ScaffoldOptions): Promise<string[]> {
  const templateName = options.template ?? "basic";
  const template = templates[templateName];
  if (!template) {
    throw new ParleyError(
      "init_invalid",
      `unknown template "${templateName}": choose one of ${Object.keys(templates).join(", ")}`,
    );
  }
  if (!NAME.test(options.name)) {
    throw new ParleyError(
      "init_invalid",
      `"${options.name}" is not a valid agent name: use letters, digits, - and _ (up to 64)`,
    );
  }
  const dir = resolve(options.dir);
  const files = template.files({
    name: options.name,
    agentSchema: schemaPath(dir, "@parley/core/schema.json"),
    scenarioSchema: schemaPath(dir, "@parley/cli/scenario.schema.json"),
  });
  const paths = Object.keys(files).map((f) => join(dir, f));
  const existing = paths.filter((p) => existsSync(p));
  if (existing.length > 0 && !options.force) {
    throw new ParleyError(
      "init_exists",
      `${existing.map((p) => relative(process.cwd(), p)).join(", ")} already exist${existing.length === 1 ? "s" : ""}: pick another name or pass --force`,
    );
  }
  try {
    await mkdir(dir, { recursive: true });
    for (const [file, text] of Object.entries(files)) await writeFile(join(dir, file), text);
  } catch (error) {
    // A folder that is a file, or one we may not write to: the user's input, said without a stack trace.
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new ParleyError(
      "init_failed",
      `could not write the agent into ${relative(process.cwd(), dir) || "."} (${reason})`,
      { cause: error },
    );
  }
  return paths;
}

/** Where each schema file sits inside its package. */
const packagePaths: Record<string, string> = {
  "@parley/core/schema.json": "@parley/core/schema/agent.schema.json",
  "@parley/cli/scenario.schema.json": "@parley/cli/schema/scenario.schema.json",
};

/**
 * The schema file as a path relative to `dir`, for editors: the installed package's copy nearest `dir` (through
 * `node_modules/@parley/…`, not the pnpm store path behind it); inside the clone, the workspace's own file; else
 * where it will be once `@parley/*` is installed in the current folder. Never a path into the clone for a folder
 * outside it.
 */
function schemaPath(dir: string, specifier: string): string {
  const inPackage = packagePaths[specifier] ?? specifier;
  let file = findInstalled(dir, inPackage);
  if (!file && CLONE_ROOT && isInside(dir, CLONE_ROOT)) {
    file = createRequire(import.meta.url).resolve(specifier);
  }
  file ??= join(process.cwd(), "node_modules", inPackage);
  const rel = relative(dir, file).split(sep).join("/");
  return rel.startsWith(".") ? rel : `./${rel}`;
}
