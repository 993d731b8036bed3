import { hasSecretShape, isSecretKey } from "../log/secret-shapes.ts";
import { formatPath, type Problem } from "./problem.ts";
import { childLocation } from "./source-map.ts";

const ENV = /\$\{env:([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;
const SCHEME = /^(Bearer|Basic|Token)?$/i;
/** `scheme://user:password@`: the password part. */
const USERINFO_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^/?#@:]*:([^/?#@]*)@/i;

/** True when `text` is only env references, possibly after an auth scheme ("Bearer ${env:TOKEN}"). */
function onlyEnv(text: string): boolean {
  const rest = text.replace(ENV, "").trim();
  // A default after ":-" would be a literal credential too.
  const noDefaults = [...text.matchAll(ENV)].every((m) => !m[2]);
  return text.includes("${env:") && noDefaults && SCHEME.test(rest);
}

/** A value that holds a credential written out: anything but `${env:…}` under a secret name, or a secret shape. */
function literal(value: string, secretName: boolean): boolean {
  if (value === "" || onlyEnv(value)) return false;
  return secretName || hasSecretShape(value.replace(ENV, ""));
}

/** What in a URL is a written-out credential: a userinfo password, or a secret-named / secret-shaped query value. */
function urlLeak(url: string): boolean {
  const password = USERINFO_PASSWORD.exec(url)?.[1];
  if (password !== undefined && literal(decodeSafe(password), true)) return true;
  const query = url.split("#")[0]?.split("?").slice(1).join("?") ?? "";
  for (const pair of query.split("&")) {
    const at = pair.indexOf("=");
    if (at <= 0) continue;
    const name = decodeSafe(pair.slice(0, at));
    if (literal(decodeSafe(pair.slice(at + 1)), isSecretKey(name))) return true;
  }
  return false;
}

function decodeSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * Refuses credentials written into an agent file (files are shared and committed): in MCP servers' `authorization`,
 * every header (by name — `X-Auth-Token`, `apikey` — or by the value's shape), `env` and `args` of spawned servers,
 * URL userinfo passwords and query strings (`?api_key=sk-…`), and any `headers:` map elsewhere (pack options).
 * `${env:NAME}` (optionally after `Bearer `) is the accepted form; a `:-default` is a literal too.
 */
export function literalSecrets(root: unknown, file: string): Problem[] {
  const problems: Problem[] = [];
  const report = (container: object, key: PropertyKey, path: PropertyKey[]) => {
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
  const checkMap = (map: unknown, path: PropertyKey[]) => {
    if (!map || typeof map !== "object" || Array.isArray(map)) return;
    for (const [name, value] of Object.entries(map))
      if (typeof value === "string" && literal(value, isSecretKey(name)))
        report(map, name, [...path, name]);
  };
  const walk = (node: unknown, path: PropertyKey[], depth: number): void => {
    if (!node || typeof node !== "object" || depth > 64) return;
    const entries: [PropertyKey, unknown][] = Array.isArray(node)
      ? node.map((v, i) => [i, v])
      : Object.entries(node);
    for (const [key, value] of entries) {
      const name = String(key);
      const at = [...path, key];
      if (typeof value === "string") {
        if (/url$/i.test(name) && urlLeak(value)) report(node, key, at);
        else if (name === "authorization" && literal(value, true)) report(node, key, at);
      } else if ((name === "headers" || (name === "env" && path[0] === "mcp")) && value) {
        checkMap(value, at);
      } else if (name === "args" && Array.isArray(value) && path[0] === "mcp") {
        value.forEach((arg, i) => {
          if (typeof arg === "string" && literal(argValue(arg), isSecretKey(argName(arg))))
            report(value, i, [...at, i]);
        });
      } else {
        walk(value, at, depth + 1);
      }
    }
  };
  walk(root, [], 0);
  return problems;
}

/** `--api-key=abc` → name `api-key`, value `abc`; a bare argument has no name. */
function argName(arg: string): string {
  const m = /^--?([A-Za-z][\w-]*)=/.exec(arg);
  return m?.[1] ?? "";
}

function argValue(arg: string): string {
  const m = /^--?[A-Za-z][\w-]*=(.*)$/.exec(arg);
  return m ? (m[1] as string) : arg;
}
