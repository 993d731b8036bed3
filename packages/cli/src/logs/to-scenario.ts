import { relative } from "node:path";
import { hashFiles, ParleyError, REDACTED, type SessionLog } from "@parley/core";
import { Document, isMap, isSeq, type YAMLMap } from "yaml";
import { replayParts } from "./replay-steps.ts";

export interface ToScenarioOptions {
  /** The folder the scenario file will be in: its `agent:` path is relative to it. */
  dir: string;
  /** The agent file to test (default: the one the log names). */
  agentFile?: string;
  /** The images the user sent are written beside the scenario as `<imageStem>.image-<n>.<ext>` (default: the log's id). */
  imageStem?: string;
}

/** A scenario file's text, and the images its `image` steps name (paths relative to the scenario's folder). */
export interface ScenarioFromLog {
  text: string;
  images: { path: string; bytes: Buffer }[];
}

/**
 * A recorded session as a scenario file (docs/testing.md): the user's turns as `user` / `image` steps, each tool call
 * as an `expect_tool` step with the arguments the model gave, delegations as `expect_delegation` (the text model's
 * calls, its answer as the offline `reply`), approvals as `approve`/`deny`, each call's outcome as an
 * `expect_output` state, and the tools' recorded outputs as mocks, call by call. What the agent said is kept as
 * comments: run offline, the scripted models replay the calls and the agent's tools, approvals and configuration
 * are what is tested; run `--live`, the model decides again.
 *
 * @example
 * const { text, images } = logToScenario(await readSessionLog(file), { dir: "." });
 */
export function logToScenario(log: SessionLog, options: ToScenarioOptions): ScenarioFromLog {
  const { header } = log;
  const stem = options.imageStem ?? header.id;
  const { steps, comments, mocks, images, notes } = replayParts(
    log.events,
    (n, ext) => `${stem}.image-${n}.${ext}`,
  );
  if (steps.length === 0)
    throw new ParleyError(
      "log_no_turns",
      `${log.file}: the session has no user turn, so there is nothing to replay`,
    );
  const agentFile = options.agentFile ?? header.file;
  const variables = Object.fromEntries(
    Object.entries(header.variables ?? {}).filter(([, v]) => v !== REDACTED),
  );
  const redactedVars = Object.keys(header.variables ?? {}).filter(
    (k) => header.variables[k] === REDACTED,
  );
  const doc = new Document({
    agent: relative(options.dir, agentFile) || agentFile,
    ...(Object.keys(variables).length ? { variables } : {}),
    ...(Object.keys(mocks).length ? { mocks } : {}),
    scenarios: [{ name: `replay of ${header.id}`, steps }],
  });
  const unchanged = hashFiles(header.files ?? [header.file]) === header.hash;
  doc.commentBefore = [
    ` Recorded session ${header.id} (agent ${header.agent}, ${header.startedAt}), as a scenario.`,
    ` Made by \`agent logs to-test\`: edit freely. The agent's files ${unchanged ? "are as they were recorded" : "have changed since the recording"}.`,
    ...(redactedVars.length
      ? [` Variables left out (redacted in the log): ${redactedVars.join(", ")}.`]
      : []),
    ...notes.map((n) => ` ${n}`),
  ].join("\n");
  const seq = (doc.contents as YAMLMap).get("scenarios") as unknown;
  const first = isSeq(seq) ? seq.items[0] : undefined;
  const stepNodes = isMap(first) ? first.get("steps") : undefined;
  if (isSeq(stepNodes))
    for (const [i, lines] of comments) {
      const next = stepNodes.items[i + 1];
      const text = lines.map((l) => ` ${l}`).join("\n");
      if (next && typeof next === "object")
        (next as { commentBefore?: string }).commentBefore = text;
      else stepNodes.comment = text;
    }
  return { text: doc.toString({ lineWidth: 0 }), images };
}
