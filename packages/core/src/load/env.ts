import { formatPath, type Problem } from "./problem.ts";
import { childLocation, locate } from "./source-map.ts";

const ENV = /\$\{env:([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;
const SECRET_HEADER = /^(authorization|proxy-authorization|x-api-key|api-key|cookie)$/i;
const SCHEME = /^(Bearer|Basic|Token)?$/i;

export interface EnvOptions {
  env: Record<string, string | undefined>;
  /** "warn" lets `agent validate`/`compile` accept an agent whose secrets are not set on this machine. */
  missingEnv: "error" | "warn";
}

/**
 * Replaces `${env:NAME}` and `${env:NAME:-default}` in every string of a parsed file, in place.
 * A missing variable without default is a located problem (a warning under `missingEnv: "warn"`, when the
 * placeholder `${env:NAME}` is kept). Before that, refuses literal credentials in MCP `authorization` and
 * secret headers.
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
            if (found !== undefined && found !== "") return found;
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

/** True when `text` is only env references, possibly after an auth scheme ("Bearer ${env:TOKEN}"). */
function onlyEnv(text: string): boolean {
  const rest = text.replace(ENV, "").trim();
  // A default after ":-" would be a literal credential too.
  const noDefaults = [...text.matchAll(ENV)].every((m) => !m[2]);
  return text.includes("${env:") && noDefaults && SCHEME.test(rest);
}

function literalSecrets(root: unknown, file: string): Problem[] {
  const problems: Problem[] = [];
  const servers = (root as { mcp?: unknown } | null)?.mcp;
  if (!Array.isArray(servers)) return problems;
  servers.forEach((server, i) => {
    if (!server || typeof server !== "object") return;
    const s = server as Record<string, unknown>;
    const check = (container: object, key: string, path: PropertyKey[]): void => {
      const value = (container as Record<string, unknown>)[key];
      if (typeof value !== "string" || value === "" || onlyEnv(value)) return;
      const loc = childLocation(container, key) ?? { file, line: 1, col: 1 };
      problems.push({
        code: "literal_secret",
        message: "a credential is written in the file; agent files are shared and committed",
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the agent file's own ${env:…} syntax, not a template
        hint: 'read it from the environment instead: "${env:MY_TOKEN}"',
        file: loc.file,
        line: loc.line,
        col: loc.col,
        path: formatPath(path),
        severity: "error",
      });
    };
    check(s, "authorization", ["mcp", i, "authorization"]);
    const headers = s.headers;
    if (headers && typeof headers === "object") {
      for (const name of Object.keys(headers)) {
        if (SECRET_HEADER.test(name)) check(headers, name, ["mcp", i, "headers", name]);
      }
    }
  });
  return problems;
}
