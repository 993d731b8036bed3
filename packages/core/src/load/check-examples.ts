import type { ValidateFunction } from "ajv";
import type { AnyToolDefinition } from "../tool/tool-pack.ts";
import { loaderAjv } from "./ajv.ts";
import { problemAt } from "./located.ts";
import { parseOptions } from "./parse-options.ts";
import type { Problem } from "./problem.ts";

const compiled = new Map<string, ValidateFunction>();

/** Problems of `args` against a tool's parameters (a zod schema or JSON Schema), as short sentences. */
function argumentProblems(parameters: unknown, args: unknown): string[] {
  if (
    parameters &&
    typeof parameters === "object" &&
    "safeParse" in parameters &&
    typeof parameters.safeParse === "function"
  ) {
    const result = (
      parameters as {
        safeParse(
          v: unknown,
          ctx: ReturnType<typeof parseOptions>,
        ): {
          success: boolean;
          error?: { issues: { path: PropertyKey[]; message: string }[] };
        };
      }
    ).safeParse(args, parseOptions());
    return result.success
      ? []
      : (result.error?.issues ?? []).map(
          (i) => `${i.path.map(String).join(".") || "args"}: ${i.message}`,
        );
  }
  const key = JSON.stringify(parameters ?? {});
  let validate = compiled.get(key);
  if (!validate) {
    try {
      validate = loaderAjv().compile(parameters ?? {});
    } catch {
      return []; // an invalid schema is reported by checkParameters
    }
    compiled.set(key, validate);
  }
  return validate(args)
    ? []
    : (validate.errors ?? []).map(
        (e) =>
          `${e.instancePath.slice(1).replace(/\//g, ".") || "args"} ${e.message ?? "is invalid"}`,
      );
}

/**
 * A tool's `examples` must produce arguments its parameters accept: they are shown to the model and used as a
 * test oracle, so a renamed field must not leave them silently wrong. Located at the example when the file wrote
 * it, else at the tool entry.
 */
export function checkExamples(
  resolved: { tool: AnyToolDefinition; path: PropertyKey[] }[],
  raw: unknown,
  file: string,
): Problem[] {
  const problems: Problem[] = [];
  for (const { tool, path } of resolved) {
    const fromFile =
      path.length === 2
        ? (raw as { tools?: { examples?: unknown }[] })?.tools?.[path[1] as number]?.examples
        : undefined;
    (tool.examples ?? []).forEach((example, i) => {
      const wrong = argumentProblems(tool.parameters, example.args);
      if (!wrong.length) return;
      const at =
        Array.isArray(fromFile) && fromFile.length > i ? [...path, "examples", i, "args"] : path;
      problems.push(
        problemAt(
          raw,
          at,
          "example_mismatch",
          `example "${example.say}" of ${tool.name} has arguments its parameters refuse: ${wrong.join("; ")}`,
          file,
          {
            hint: "fix the example, or the parameters if they changed",
          },
        ),
      );
    });
  }
  return problems;
}
