import { templateRefs } from "../compile/template.ts";
import { didYouMean } from "./did-you-mean.ts";
import { formatPath, type Problem } from "./problem.ts";
import { locate } from "./source-map.ts";
import { lineStarts, positionAt } from "./text-position.ts";

const PERSONA_FIELDS = ["role", "tone", "language", "accent", "style"] as const;

/** Names a template may use: declared variables and the persona fields that are set (read leniently from raw). */
export function templateScopeNames(config: Record<string, unknown>): string[] {
  const variables = isObject(config.variables) ? config.variables : {};
  const persona = isObject(config.persona) ? config.persona : {};
  return [
    ...Object.keys(variables),
    ...PERSONA_FIELDS.filter((f) => persona[f] !== undefined).map((f) => `persona.${f}`),
  ];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/**
 * Every `{{name}}` in `instructions`, `greeting`, `reconnect.announce` and the persona fields (variables only) must be a declared variable or a persona field that is set:
 * an unknown one is a problem located at the reference itself, never an empty string at run time.
 */
export function checkTemplates(
  raw: Record<string, unknown>,
  file: string,
  sources: Record<string, string>,
): Problem[] {
  const config = raw;
  const known = templateScopeNames(config);
  const variables = known.filter((n) => !n.startsWith("persona."));
  const problems: Problem[] = [];
  const persona = isObject(config.persona) ? config.persona : {};
  const texts: { path: PropertyKey[]; text: unknown; names: string[] }[] = [
    { path: ["instructions"], text: config.instructions, names: known },
    { path: ["greeting"], text: config.greeting, names: known },
    {
      path: ["reconnect", "announce"],
      text: isObject(config.reconnect) ? config.reconnect.announce : undefined,
      names: known,
    },
    ...PERSONA_FIELDS.flatMap((f) => {
      const value = persona[f];
      const list = Array.isArray(value)
        ? value.map((v, i) => ({ path: ["persona", f, i], text: v }))
        : [{ path: ["persona", f], text: value }];
      return list.map((x) => ({ ...x, names: variables }));
    }),
  ];
  for (const { path, text, names } of texts) {
    if (typeof text !== "string") continue;
    for (const ref of templateRefs(text)) {
      if (names.includes(ref.name)) continue;
      const node = locate(raw, path) ?? { file, line: 1, col: 1 };
      let at: { line: number; col: number } = node;
      const source = sources[node.file];
      if (source && node.start !== undefined) {
        const found = source.indexOf(ref.raw, node.start);
        if (found >= 0 && (node.end === undefined || found < node.end))
          at = positionAt(lineStarts(source), found);
      }
      const guess = didYouMean(ref.name, names);
      const isPersona = ref.name.startsWith("persona.");
      problems.push({
        code: "unknown_variable",
        message: isPersona
          ? path[0] === "persona"
            ? `{{${ref.name}}}: persona fields can use variables, not other persona fields`
            : `{{${ref.name}}} is used but persona.${ref.name.slice(8)} is not set`
          : `{{${ref.name}}} is not a declared variable`,
        hint: guess
          ? `did you mean {{${guess}}}?`
          : isPersona
            ? "set it under persona:"
            : `declare it under variables: (${ref.name}: a default, or null to require it at session start)`,
        file: node.file,
        line: at.line,
        col: at.col,
        path: formatPath(path),
        severity: "error",
      });
    }
  }
  return problems;
}
