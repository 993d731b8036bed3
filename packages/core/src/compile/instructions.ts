import type { AgentConfig } from "../schema/agent.ts";
import { CompileError } from "./compile-error.ts";
import { renderTemplate } from "./template.ts";

export type VariableValues = Record<string, string | number | boolean>;

/**
 * The values templates see: declared variable defaults overridden by the session's, and `persona.*`.
 * A variable the agent does not declare, or a required one (default `null`) left out, is a CompileError.
 */
export function templateScope(
  config: AgentConfig,
  overrides: VariableValues = {},
): Record<string, string> {
  const declared = config.variables ?? {};
  const scope: Record<string, string> = {};
  for (const name of Object.keys(overrides).sort()) {
    if (!(name in declared)) {
      const names = Object.keys(declared);
      throw new CompileError(
        "unknown_variable",
        `variable "${name}" is not declared by agent ${config.name}${names.length ? ` (it declares: ${names.join(", ")})` : ""}`,
      );
    }
  }
  for (const [name, value] of Object.entries(declared)) {
    const given = overrides[name] ?? value;
    if (given === null || given === undefined) {
      throw new CompileError(
        "variable_required",
        `variable "${name}" has no default: give it when the session starts (agent compile --var ${name}=…)`,
      );
    }
    scope[name] = String(given);
  }
  // Persona fields are templates over the variables (not over each other).
  const variables = { ...scope };
  const persona = config.persona ?? {};
  for (const [field, value] of Object.entries(persona)) {
    if (value === undefined) continue;
    const text = Array.isArray(value)
      ? value.map((v) => renderTemplate(v, variables)).join("; ")
      : renderTemplate(String(value), variables);
    scope[`persona.${field}`] = text;
  }
  return scope;
}

/**
 * The persona as plain sentences, placed before the instructions (unless they place `{{persona.*}}` themselves):
 * ```
 * # Persona
 * You are <role>. Tone: <tone>. Speak <language> with a <accent> accent.
 * Style:
 * - <note>
 * ```
 */
export function renderPersona(
  raw: NonNullable<AgentConfig["persona"]>,
  scope: Record<string, string> = {},
): string {
  const fill = (text: string): string => renderTemplate(text, scope);
  const persona = {
    ...raw,
    ...(raw.role ? { role: fill(raw.role) } : {}),
    ...(raw.tone ? { tone: fill(raw.tone) } : {}),
    ...(raw.language ? { language: fill(raw.language) } : {}),
    ...(raw.accent ? { accent: fill(raw.accent) } : {}),
    ...(raw.style
      ? { style: typeof raw.style === "string" ? fill(raw.style) : raw.style.map(fill) }
      : {}),
  };
  const sentences: string[] = [];
  if (persona.role) sentences.push(`You are ${persona.role.replace(/\.$/, "")}.`);
  if (persona.tone) sentences.push(`Tone: ${persona.tone.replace(/\.$/, "")}.`);
  if (persona.language || persona.accent) {
    const language = persona.language ? `Speak ${persona.language}` : "Speak";
    sentences.push(
      `${language}${persona.accent ? ` with ${/^[aeiou]/i.test(persona.accent) ? "an" : "a"} ${persona.accent} accent` : ""}.`,
    );
  }
  const lines = ["# Persona", sentences.join(" ")].filter(Boolean);
  const style = typeof persona.style === "string" ? [persona.style] : (persona.style ?? []);
  if (style.length) lines.push("Style:", ...style.map((s) => `- ${s}`));
  return lines.join("\n");
}

/** The session instructions: persona block, then the rendered instructions template. */
export function renderInstructions(
  config: AgentConfig,
  scope: Record<string, string>,
): string | undefined {
  const body = config.instructions ? renderTemplate(config.instructions, scope).trim() : undefined;
  const placesPersona = /\{\{\s*persona\./.test(config.instructions ?? "");
  const persona =
    config.persona && !placesPersona && Object.keys(config.persona).length
      ? renderPersona(config.persona, scope)
      : undefined;
  if (persona && body) return `${persona}\n\n# Instructions\n${body}`;
  return persona ?? body;
}
