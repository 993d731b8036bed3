import { defineTool } from "@parley/core/pack";
import { z } from "zod";
import { defineToolPack } from "../../pack/define-tool-pack.ts";
import { indexFiles, listFiles } from "./index-files.ts";

export { indexFiles, type KnowledgeIndex, listFiles } from "./index-files.ts";
export { type Passage, splitPassages } from "./passages.ts";

/** `options:` of the knowledge pack. */
export const knowledgePackOptions = z.strictObject({
  files: z
    .array(z.string().min(1))
    .min(1, { message: "list at least one Markdown/FAQ file or folder" })
    .describe("Files or folders (searched recursively), relative to the agent file"),
  maxResults: z.int().min(1).max(20).optional(),
  allow: z
    .array(z.string().min(1))
    .optional()
    .describe(
      "Extra folders files may come from, relative to the agent file (default: only the agent's folder)",
    ),
});

/**
 * `@parley/tools/knowledge`: `search_knowledge` answers from local Markdown/FAQ files with ranked full-text
 * search (MiniSearch), returning the best passages with their source (`file:line` and section title).
 *
 * @example
 * // agent.yaml
 * // tools:
 * //   - use: "@parley/tools/knowledge"
 * //     options: { files: [./knowledge/faq.md, ./knowledge/policies] }
 */
export const knowledgePack = defineToolPack({
  name: "@parley/tools/knowledge",
  version: "0.1.0",
  description: "Answer from local Markdown/FAQ files: ranked passages with their source.",
  options: knowledgePackOptions,
  tools: async (options, env) => {
    const files = await listFiles(options.files, env.baseDir, options.allow);
    for (const file of files) env.addFile?.(file);
    const index = await indexFiles(files, env.baseDir);
    const limit = options.maxResults ?? 3;
    return [
      defineTool({
        name: "search_knowledge",
        description:
          "Searches the business's own documents (FAQ, policies, opening hours, prices) and returns the most relevant passages with their source. Answer only from what it returns; if nothing relevant comes back, say you don't know.",
        parameters: z.object({
          query: z.string().min(1).describe("The user's question, in a few keywords"),
        }),
        filler: false,
        examples: [
          { say: "what are your opening hours", args: { query: "opening hours" } },
          { say: "can I get a refund if I cancel", args: { query: "refund cancellation" } },
          { say: "do you have parking", args: { query: "parking" } },
        ],
        run({ query }) {
          const passages = index.search(query, limit).map((p) => ({
            text: p.text,
            title: p.title,
            source: `${p.file}:${p.line}`,
            score: p.score,
          }));
          return passages.length > 0
            ? { passages }
            : {
                passages,
                note: "Nothing in the documents matches; say you don't know rather than guessing.",
              };
        },
      }),
    ];
  },
  defaults: { approval: "never", timeout: "5s" },
});

export default knowledgePack;
