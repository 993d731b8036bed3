import { execFile, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join, relative, resolve } from "node:path";
import { promisify } from "node:util";
import { AGENT_FILE } from "../agent-file/find-agent-files.ts";
import { SKIP } from "../files/walk.ts";
import { DiffError } from "./errors.ts";

const run = promisify(execFile);

/** One side of a diff as the user wrote it: a file in the working tree, or a file at a git revision. */
export type Side = { kind: "file"; path: string } | { kind: "rev"; rev: string; path: string };

/**
 * `HEAD:agents/x.agent.yaml` (a path from the repository root, or `./x` / `../x` from the current folder, as git
 * reads it), `rev:` + path, or a plain path. A plain path that exists is a file even if it has a colon.
 */
export function parseSide(arg: string, cwd: string): Side {
  const at = arg.indexOf(":");
  if (at > 0 && !existsSync(resolve(cwd, arg)) && !/^[A-Za-z]:[\\/]/.test(arg))
    return { kind: "rev", rev: arg.slice(0, at), path: arg.slice(at + 1) };
  return { kind: "file", path: resolve(cwd, arg) };
}

async function git(args: string[], cwd: string): Promise<string> {
  try {
    return (await run("git", args, { cwd, maxBuffer: 64 * 1024 * 1024 })).stdout;
  } catch (error) {
    const stderr = String((error as { stderr?: string }).stderr ?? "").trim();
    throw new DiffError(
      "git_failed",
      `git ${args.join(" ")}: ${stderr.split("\n")[0] || (error as Error).message}`,
      { cause: error },
    );
  }
}

/**
 * Checked-out copies of git revisions, made once per revision with `git archive` in a temporary folder: an old agent
 * is loaded with its old bases, handlers, packs and scenarios. The repository's node_modules is linked in, so
 * handlers resolve their imports. `close()` removes the copies.
 */
export class Revisions {
  readonly #cwd: string;
  readonly #trees = new Map<string, Promise<string>>();
  readonly #dirs: string[] = [];
  #root: Promise<string> | undefined;

  constructor(cwd: string) {
    this.#cwd = cwd;
  }

  /** The repository's top folder. */
  root(): Promise<string> {
    this.#root ??= git(["rev-parse", "--show-toplevel"], this.#cwd).then((s) => s.trim());
    return this.#root;
  }

  /** The absolute path of a side's file: the working tree's, or the copy of the revision's. */
  async file(side: Side): Promise<string> {
    if (side.kind === "file") return side.path;
    const root = await this.root();
    const fromRoot = repoPath(side.path, this.#cwd, root);
    const tree = await this.#tree(side.rev);
    const file = join(tree, fromRoot);
    if (!existsSync(file))
      throw new DiffError(
        "agent_missing",
        `${side.rev}:${fromRoot} does not exist (not in that revision)`,
      );
    return file;
  }

  /** Whether `rev` has the working-tree file `file`. */
  async has(rev: string, file: string): Promise<boolean> {
    const root = await this.root();
    try {
      await run("git", ["cat-file", "-e", `${rev}:${relative(root, file)}`], { cwd: root });
      return true;
    } catch {
      return false;
    }
  }

  /**
   * The agent files `rev` has under the working-tree folder `dir` (as working-tree paths), skipping the folders
   * `agent diff` never searches (dependencies, build output, fixtures, dot folders).
   */
  async agentFilesAt(rev: string, dir: string): Promise<string[]> {
    const root = await this.root();
    const under = relative(root, dir) || ".";
    const listed = await git(["ls-tree", "-r", "-z", "--name-only", rev, "--", under], root);
    return listed
      .split("\0")
      .filter((path) => {
        const parts = path.split("/");
        const name = parts.pop() ?? "";
        return AGENT_FILE.test(name) && !parts.some((p) => p.startsWith(".") || SKIP.has(p));
      })
      .map((path) => join(root, path));
  }

  /** A file's text at `rev` (a working-tree path), without extracting the revision. */
  async textAt(rev: string, file: string): Promise<string> {
    const root = await this.root();
    return git(["show", `${rev}:${relative(root, file)}`], root);
  }

  /** Where a copied file sits in the working tree (for messages), or the path itself. */
  async display(file: string, cwd: string): Promise<string> {
    for (const [rev, tree] of this.#trees) {
      const dir = await tree;
      if (file.startsWith(`${dir}/`)) return `${rev}:${relative(dir, file)}`;
    }
    return relative(cwd, file) || file;
  }

  async close(): Promise<void> {
    for (const dir of this.#dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  }

  #tree(rev: string): Promise<string> {
    let tree = this.#trees.get(rev);
    if (!tree) {
      tree = this.#extract(rev);
      this.#trees.set(rev, tree);
    }
    return tree;
  }

  async #extract(rev: string): Promise<string> {
    const root = await this.root();
    await git(["rev-parse", "--verify", "--quiet", `${rev}^{commit}`], root).catch(() => {
      throw new DiffError("git_failed", `${rev}: not a git revision of ${root}`);
    });
    const dir = mkdtempSync(join(tmpdir(), "parley-diff-"));
    this.#dirs.push(dir);
    const tree = join(dir, "tree");
    mkdirSync(tree);
    await new Promise<void>((done, fail) => {
      const archive = spawn("git", ["archive", "--format=tar", rev], { cwd: root });
      const tar = spawn("tar", ["-x", "-C", tree]);
      archive.stdout.pipe(tar.stdin);
      let stderr = "";
      archive.stderr.on("data", (d) => (stderr += d));
      tar.on("error", fail);
      tar.on("close", (code) =>
        code === 0
          ? done()
          : fail(
              new DiffError(
                "git_failed",
                `git archive ${rev}: ${stderr.trim() || `tar exited ${code}`}`,
              ),
            ),
      );
    });
    const modules = join(root, "node_modules");
    if (existsSync(modules) && !existsSync(join(tree, "node_modules")))
      symlinkSync(modules, join(tree, "node_modules"), "dir");
    return tree;
  }
}

/** A revision path as git reads it: from the repository root, unless it starts with ./ or ../ (from `cwd`). */
function repoPath(path: string, cwd: string, root: string): string {
  if (isAbsolute(path)) return relative(root, path);
  if (path.startsWith("./") || path.startsWith("../")) return relative(root, resolve(cwd, path));
  return path;
}
