import { relative } from "node:path";
import { hashFiles, ParleyError, REDACTED, type SessionLog } from "@parley/core";
import { Document, isMap, isSeq, type YAMLMap } from "yaml";

export interface ToScenarioOptions {
  /** The folder the scenario file will be in: its `agent:` path is relative to it. */
  dir: string;
  /** The agent file to test (default: the one the log names). */
  agentFile?: string;
}

type StepOut = Record<string, unknown>;

/**
 * A recorded session as a scenario file (docs/testing.md): the user's turns as `user` steps, each tool call as an
 * `expect_tool` step with the arguments the model gave, approvals as `approve`/`deny`, each call's outcome as an
 * `expect_output` state, and each tool's recorded output as its mock (the first output, when a tool ran more than
 * once). What the agent said is kept as comments: run offline, the scripted model replays the calls and the agent's
 * tools, approvals and configuration are what is tested; run `--live`, the model decides again.
 *
 * @example
 * writeFileSync("desk.replay.test.yaml", logToScenario(await readSessionLog(file), { dir: "." }));
 */
export function logToScenario(log: SessionLog, options: ToScenarioOptions): string {
  const { header, events } = log;
  const steps: StepOut[] = [];
  const comments = new Map<number, string[]>();
  const note = (text: string) => {
    const at = steps.length - 1;
    if (at < 0) return;
    comments.set(at, [...(comments.get(at) ?? []), text]);
  };
  const mocks: Record<string, Record<string, unknown>> = {};
  const moreOutputs = new Set<string>();
  const spoken = new Set<string>();
  // A tool whose call had a filler said over it: its mock takes as long as the recorded run, so the filler is due again.
  const runStarts = new Map<string, number>();
  const filled = new Set<string>();
  const callTool = new Map<string, string>();
  const latency: Record<string, number> = {};
  let started = false;
  for (const e of events) {
    switch (e.type) {
      case "user.speech.started":
        spoken.add(e.itemId);
        break;
      case "user.transcript.done": {
        const text = e.transcript.trim();
        if (!text) break;
        started = true;
        steps.push(spoken.has(e.itemId) ? { user: text, audio: true } : { user: text });
        break;
      }
      case "tool.call":
        if (!started) break;
        steps.push({ expect_tool: e.tool, args: e.arguments ?? {} });
        callTool.set(e.callId, e.tool);
        break;
      case "tool.state":
        if (e.to === "running") runStarts.set(e.callId, e.at);
        break;
      case "tool.filler":
        filled.add(e.callId);
        break;
      case "approval.decided":
        if (started) steps.push(e.approved ? { approve: e.tool } : { deny: e.tool });
        break;
      case "tool.output": {
        if (!started) break;
        steps.push({ expect_output: e.tool, state: e.state });
        if (e.state === "completed" || e.state === "failed") {
          const mock =
            e.state === "completed" ? { output: parsed(e.output) } : { error: errorOf(e.output) };
          const start = runStarts.get(e.callId);
          if (filled.has(e.callId) && start !== undefined && latency[e.tool] === undefined)
            latency[e.tool] = Math.ceil(e.at - start);
          if (!mocks[e.tool]) mocks[e.tool] = mock;
          else if (JSON.stringify(mocks[e.tool]) !== JSON.stringify(mock)) moreOutputs.add(e.tool);
        }
        break;
      }
      case "agent.transcript.done": {
        const text = e.transcript.trim().replace(/\s+/g, " ");
        if (!text || !started) break;
        if (e.kind === "filler") steps.push({ expect_filler: true });
        note(`${e.kind === "answer" ? "agent" : e.kind} said: ${text}`);
        break;
      }
      case "handoff":
        note(`handed off from ${e.from} to ${e.to}`);
        break;
    }
  }
  for (const [tool, ms] of Object.entries(latency))
    if (mocks[tool]) mocks[tool] = { ...mocks[tool], latency: `${ms}ms` };
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
    ...[...moreOutputs].map(
      (t) => ` ${t} returned other outputs later in the session; its mock is the first one.`,
    ),
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
  return doc.toString({ lineWidth: 0 });
}

/** A tool output as the model got it (JSON text), back as a value for the mock. */
function parsed(output: string): unknown {
  try {
    return JSON.parse(output);
  } catch {
    return output;
  }
}

/** A failed call's output is `{"error": {code, message}}` (the scheduler's outputs.ts); the mock fails with that message. */
function errorOf(output: string): string {
  const value = parsed(output) as { error?: { message?: unknown } | string } | string | null;
  if (value && typeof value === "object") {
    const error = value.error;
    if (typeof error === "string") return error;
    if (error && typeof error.message === "string") return error.message;
  }
  return typeof value === "string" ? value : JSON.stringify(value);
}
