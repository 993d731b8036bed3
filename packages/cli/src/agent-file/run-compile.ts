import { existsSync } from "node:fs";
import {
  compileClientSecretBody,
  compileSession,
  compileSipAcceptBody,
} from "@parley/core/compile";
import { AgentFileError, loadAgent } from "@parley/core/load";
import { isParleyError, redact, redactString } from "@parley/core/pack";
import { envSecretValues } from "./env-secrets.ts";
import { paint, problemsOf, renderProblems } from "./report.ts";

const TARGETS = ["session", "client-secret", "sip"] as const;

/**
 * Prints what an agent compiles to, secrets redacted: the `session.update` event, the client-secret request body
 * or the SIP accept body. Unset `${env:…}` are warnings here (the output hides secrets anyway) unless `--strict-env`.
 */
export async function runCompile(
  file: string,
  opts: { var: string[]; target: string; strictEnv?: boolean },
): Promise<number> {
  const variables: Record<string, string> = {};
  for (const pair of opts.var) {
    const at = pair.indexOf("=");
    if (at <= 0) {
      process.stderr.write(`agent compile: --var takes key=value, got "${pair}"\n`);
      return 2;
    }
    variables[pair.slice(0, at)] = pair.slice(at + 1);
  }
  if (!(TARGETS as readonly string[]).includes(opts.target)) {
    process.stderr.write(`agent compile: --target is one of ${TARGETS.join(", ")}\n`);
    return 2;
  }
  if (!existsSync(file)) {
    process.stderr.write(`agent compile: no such file: ${file}\n`);
    return 2;
  }
  // Values the agent reads from the environment are secrets wherever they land in the output.
  let secrets = envSecretValues([file]);
  try {
    const agent = await loadAgent(file, { missingEnv: opts.strictEnv ? "error" : "warn" });
    secrets = envSecretValues([file, ...agent.files]);
    if (agent.warnings.length)
      process.stderr.write(`${redactString(renderProblems(agent.warnings, {}), secrets)}\n\n`);
    const options = { variables };
    const output =
      opts.target === "client-secret"
        ? compileClientSecretBody(agent, options)
        : opts.target === "sip"
          ? compileSipAcceptBody(agent, options)
          : compileSession(agent, options);
    process.stdout.write(`${JSON.stringify(redact(output, { values: secrets }), null, 2)}\n`);
    return 0;
  } catch (error) {
    if (!isParleyError(error)) throw error;
    if (error instanceof AgentFileError || error.location) {
      const { problems, sources } = problemsOf(error, file);
      process.stderr.write(`${redactString(renderProblems(problems, sources), secrets)}\n`);
    } else {
      process.stderr.write(
        `${paint("error", `error[${error.code}]`)} ${redactString(error.message, secrets)}\n`,
      );
    }
    return 1;
  }
}
