import { readdir, readFile, realpath, stat } from "node:fs/promises";
import { extname, isAbsolute, join, relative, resolve } from "node:path";
import { ParleyError } from "@parley/core/pack";
import MiniSearch from "minisearch";
import { type Passage, splitPassages } from "./passages.ts";

const EXTENSIONS = new Set([".md", ".markdown", ".mdx", ".txt"]);

// Words that carry no meaning in a question; dropping them keeps "what are your opening hours" about hours.
const STOPWORDS = new Set(
  "a an and are as at be but by can could did do does for from had has have how i if in is it its me my of on or our please should so tell than that the their them then there these they this to was we were what when where which who why will with would you your".split(
    " ",
  ),
);

export interface KnowledgeIndex {
  search(query: string, limit: number): (Passage & { score: number })[];
  readonly files: string[];
  readonly size: number;
}

/**
 * Lists knowledge files: each entry is a file, or a directory searched recursively for .md/.markdown/.mdx/.txt.
 * Entries are confined to the agent's folder (`baseDir`) and the folders in `allow` (relative to it): `../x`, an
 * absolute path elsewhere or a symlink that leads out are refused, and so is anything that is not a regular file or
 * folder (`/proc/self/environ`, a device, a FIFO that would block the read forever). The model reads whatever is
 * indexed, so what is indexed is what the agent's author put beside the agent.
 */
export async function listFiles(
  entries: string[],
  baseDir: string,
  allow: string[] = [],
): Promise<string[]> {
  const roots = await realRoots([baseDir, ...allow.map((a) => resolve(baseDir, a))]);
  const files: string[] = [];
  for (const entry of entries) {
    const path = resolve(baseDir, entry);
    let real: string;
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      real = await realpath(path);
      info = await stat(real);
    } catch {
      throw new ParleyError(
        "knowledge_file_missing",
        `knowledge file or folder not found: ${entry} (looked at ${path})`,
      );
    }
    if (!roots.some((root) => inside(real, root))) {
      throw new ParleyError(
        "knowledge_outside_folder",
        `knowledge entry ${entry} is outside the agent's folder (${baseDir}); move it beside the agent or list its folder under options.allow`,
      );
    }
    if (info.isDirectory()) {
      // Listed and shown under the path as written; confinement was checked on the real path.
      const inner = await readdir(path, { recursive: true, withFileTypes: true });
      for (const dirent of inner) {
        // Regular files only: symlinks (which could lead out) and special files are skipped.
        if (dirent.isFile() && EXTENSIONS.has(extname(dirent.name).toLowerCase())) {
          files.push(join(dirent.parentPath ?? path, dirent.name));
        }
      }
    } else if (info.isFile()) {
      files.push(path);
    } else {
      throw new ParleyError(
        "knowledge_not_a_file",
        `knowledge entry ${entry} is not a regular file or folder (a device, FIFO or socket cannot be indexed)`,
      );
    }
  }
  return [...new Set(files)].sort();
}

async function realRoots(paths: string[]): Promise<string[]> {
  const roots: string[] = [];
  for (const path of paths) roots.push(await realpath(path).catch(() => path));
  return roots;
}

function inside(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}

/**
 * Reads the files, splits them into passages and builds a MiniSearch index (BM25+, prefix and fuzzy matching,
 * headings weighted twice the body).
 */
export async function indexFiles(files: string[], baseDir: string): Promise<KnowledgeIndex> {
  const passages: Passage[] = [];
  for (const file of files) {
    const content = await readFile(file, "utf8");
    for (const p of splitPassages(content, relative(baseDir, file) || file))
      passages.push({ ...p, id: passages.length });
  }
  const search = new MiniSearch<Passage>({
    fields: ["title", "text"],
    storeFields: ["title", "text", "file", "line"],
    processTerm: (term) => {
      const t = term.toLowerCase();
      return STOPWORDS.has(t) ? null : t;
    },
    searchOptions: { boost: { title: 2 }, prefix: true, fuzzy: 0.2, combineWith: "OR" },
  });
  search.addAll(passages);
  return {
    files,
    size: passages.length,
    search(query, limit) {
      return search
        .search(query)
        .slice(0, limit)
        .map((hit) => ({
          id: hit.id as number,
          title: hit.title as string,
          text: hit.text as string,
          file: hit.file as string,
          line: hit.line as number,
          score: Math.round(hit.score * 100) / 100,
        }));
    },
  };
}
