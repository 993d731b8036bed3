import { CompileError } from "./compile-error.ts";

/** `{{ name }}` or `{{persona.role}}` in instructions and greetings. */
const REF = /\{\{\s*([A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)?)\s*\}\}/g;

/** Every `{{reference}}` in a template, with its offset (for located errors). */
export function templateRefs(text: string): { name: string; index: number; raw: string }[] {
  return [...text.matchAll(REF)].map((m) => ({
    name: m[1] as string,
    index: m.index ?? 0,
    raw: m[0],
  }));
}

/**
 * Fills `{{name}}` from `scope`. An unknown name throws: a missing variable must never become an empty string
 * in what the model hears. (The loader reports unknown names as located problems before this can happen.)
 *
 * @example
 * renderTemplate("Welcome to {{hotel}}", { hotel: "The Larch" }) // "Welcome to The Larch"
 */
export function renderTemplate(text: string, scope: Record<string, string>): string {
  return text.replace(REF, (_whole, name: string) => {
    const value = scope[name];
    if (value === undefined)
      throw new CompileError("unknown_variable", `unknown template variable {{${name}}}`);
    return value;
  });
}
