import { type ParsedSource, parseYamlSource } from "./parse-yaml.ts";
import { containerInfo, registerContainer } from "./source-map.ts";
import { lineStarts, positionAt } from "./text-position.ts";

// Editors on Windows may start the file with a byte-order mark: it is not content.
const FENCE = /^\uFEFF?---[ \t]*\r?\n/;

/**
 * Parses an `.agent.md` file: the YAML front matter (between `---` lines) is the config and the Markdown body
 * is the instructions, so writers edit prose rather than a YAML string. Instructions in both places is a problem.
 *
 * @example
 * parseMarkdownSource("---\nname: support\n---\nYou help customers.\n", "/abs/support.agent.md")
 */
export function parseMarkdownSource(text: string, file: string): ParsedSource {
  const open = FENCE.exec(text);
  if (!open) {
    return {
      value: undefined,
      problems: [
        {
          code: "front_matter_missing",
          message: "an .agent.md file starts with YAML front matter between two --- lines",
          hint: "add ---, name: my-agent, --- at the top, then the instructions",
          file,
          line: 1,
          col: 1,
          path: "",
          severity: "error",
        },
      ],
    };
  }
  const start = open[0].length;
  const close = /^---[ \t]*\r?$/m;
  close.lastIndex = 0;
  const rest = text.slice(start);
  const end = close.exec(rest);
  if (!end) {
    return {
      value: undefined,
      problems: [
        {
          code: "front_matter_unclosed",
          message: "the front matter is not closed: add a line with --- after the config",
          file,
          line: 1,
          col: 1,
          path: "",
          severity: "error",
        },
      ],
    };
  }
  const yamlText = rest.slice(0, end.index);
  const parsed = parseYamlSource(yamlText, file, 1, start);
  let bodyStart = start + end.index + end[0].length;
  if (text[bodyStart] === "\r") bodyStart++;
  if (text[bodyStart] === "\n") bodyStart++;
  const body = text.slice(bodyStart).trim();
  if (parsed.problems.length > 0 || body === "") return parsed;
  const config = (parsed.value ?? {}) as Record<string, unknown>;
  if (config === null || typeof config !== "object" || Array.isArray(config)) return parsed;
  const info = containerInfo(config) ?? registerContainer(config, { file, line: 2, col: 1 });
  const offset =
    bodyStart + (text.slice(bodyStart).length - text.slice(bodyStart).trimStart().length);
  const bodyLoc = {
    file,
    ...positionAt(lineStarts(text), offset),
    start: offset,
    end: text.length,
  };
  if ("instructions" in config) {
    const at = info.keys.get("instructions")?.key ?? info.self;
    return {
      value: config,
      problems: [
        {
          code: "instructions_twice",
          message: "instructions are given twice: in the front matter and as the Markdown body",
          hint: "keep the body and remove instructions: from the front matter",
          file,
          line: at.line,
          col: at.col,
          path: "instructions",
          severity: "error",
        },
      ],
    };
  }
  config.instructions = body;
  info.keys.set("instructions", { key: bodyLoc, value: bodyLoc });
  return { value: config, problems: [] };
}
