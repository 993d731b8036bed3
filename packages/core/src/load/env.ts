import { rememberEnvSecret } from "../log/redact.ts";
import { literalSecrets } from "./literal-secrets.ts";
import { formatPath, type Problem } from "./problem.ts";
import { childLocation, locate } from "./source-map.ts";

const ENV = /\$\{env:([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

export interface EnvOptions {
  env: Record<string, string | undefined>;
  /** "warn" lets `agent validate`/`compile` accept an agent whose secrets are not set on this machine. */
  missingEnv: "error" | "warn";
}

/**
 * Replaces `${env:NAME}` and `${env:NAME:-default}` in every string of a parsed file, in place.
 * A missing variable without default is a located problem (a warning under `missingEnv: "warn"`, when the
 * placeholder `${env:NAME}` is kept). Before that, refuses credentials written in the file (literal-secrets.ts).
 */
export function interpolateEnv(root: unknown, file: string, options: EnvOptions): Problem[] {
  const problems: Problem[] = [...literalSecrets(root, file)];
  const visit = (
    container: Record<PropertyKey, unknown> | unknown[],
    path: PropertyKey[],
  ): void => {
    const entries: [PropertyKey, unknown][] = Array.isArray(container)
      ? container.map((v, i) => [i, v])
      : Object.entries(container);
    for (const [key, value] of entries) {
      if (typeof value === "string" && value.includes("${env:")) {
        (container as Record<PropertyKey, unknown>)[key] = value.replace(
          ENV,
          (whole, name: string, fallback?: string) => {
            const found = options.env[name];
            if (found !== undefined && found !== "") {
              // Whatever the environment supplies is a secret wherever it lands (see log/redact.ts).
              rememberEnvSecret(found);
              return found;
            }
            if (fallback !== undefined) return fallback;
            const loc = childLocation(container, key) ??
              locate(root, path) ?? { file, line: 1, col: 1 };
            const warn = options.missingEnv === "warn";
            problems.push({
              code: "missing_env",
              message: `environment variable ${name} is not set`,
              hint: warn
                ? "a session cannot start without it; set it, or give a default with ${env:" +
                  name +
                  ":-value}"
                : `set ${name}, or give a default with \${env:${name}:-value}`,
              file: loc.file,
              line: loc.line,
              col: loc.col,
              path: formatPath([...path, key]),
              severity: warn ? "warning" : "error",
            });
            return whole;
          },
        );
      } else if (value && typeof value === "object") {
        visit(value as Record<PropertyKey, unknown>, [...path, key]);
      }
    }
  };
  if (root && typeof root === "object") visit(root as Record<PropertyKey, unknown>, []);
  return problems;
}
