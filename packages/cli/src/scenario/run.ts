import { dirname, resolve } from "node:path";
import {
  AgentFileError,
  AgentTools,
  type ApprovalRequest,
  formatProblems,
  isParleyError,
  type LoadedAgent,
  loadAgent,
  type Session,
  startSession,
} from "@parley/core";
import { approversFor } from "../dev/approvers.ts";
import { TurnTracker } from "../dev/turn-tracker.ts";
import { EventLog } from "./event-log.ts";
import { withMocks } from "./mocks.ts";
import type { ScenarioResult, StepResult, TranscriptLine } from "./result.ts";
import type { Scenario } from "./schema.ts";
import { compileScript, type ScriptOptions } from "./script.ts";
import { runStep, type StepContext } from "./steps.ts";
import { delegationScript } from "./text-script.ts";

export interface RunScenarioOptions {
  /** Run against the OpenAI Realtime API instead of the local server (needs `apiKey`). */
  live?: boolean;
  apiKey?: string;
  /** Any Realtime server instead (its model decides; no script). */
  url?: string;
  /** Local server audio pace (default 0: as fast as possible; runs stay deterministic). */
  pace?: number;
  /** How long one expectation waits at most (default 5 s offline, 30 s live). */
  stepTimeoutMs?: number;
  /** Loaded agents by file, shared across scenarios of one run. */
  agents?: Map<string, Promise<LoadedAgent>>;
}

/**
 * Runs one scenario end to end: loads its agent (with the scenario's tool mocks), starts a local Realtime server
 * whose scripted model plays the scenario's model side (unless live or `url`), runs the steps in order and returns
 * the result with the transcript. Never throws for a failing scenario: failures are results.
 *
 * @example
 * const [scenario] = await loadScenarioFile("weather.test.yaml");
 * const result = await runScenario(scenario);
 * if (result.status === "failed") console.log(result.steps.find((s) => s.status === "failed")?.message);
 */
export async function runScenario(
  scenario: Scenario,
  options: RunScenarioOptions = {},
): Promise<ScenarioResult> {
  const t0 = performance.now();
  const clock = () => performance.now() - t0;
  const transcript: TranscriptLine[] = [];
  const steps: StepResult[] = [];
  const result = (error?: string): ScenarioResult => {
    const ran = new Set(steps.map((s) => s.step.index));
    for (const step of scenario.steps)
      if (!ran.has(step.index)) steps.push({ step, status: "skipped", at: clock() });
    const failed = error !== undefined || steps.some((s) => s.status === "failed");
    return {
      name: scenario.name,
      file: scenario.file,
      location: scenario.location,
      status: failed ? "failed" : "passed",
      steps,
      transcript,
      durationMs: clock(),
      ...(error !== undefined ? { error } : {}),
    };
  };

  let agent: LoadedAgent;
  const mockCalls = new Map<string, number>();
  try {
    const agents = options.agents ?? new Map();
    const key = `${scenario.agentFile}\0${JSON.stringify(scenario.env)}`;
    let loading = agents.get(key);
    if (!loading) {
      loading = loadAgent(scenario.agentFile, { env: { ...process.env, ...scenario.env } });
      agents.set(key, loading);
    }
    agent = withMocks(await loading, scenario.mocks, { calls: mockCalls });
  } catch (error) {
    if (error instanceof AgentFileError)
      return result(formatProblems(error.problems, error.sources, { cwd: process.cwd() }));
    return result(errorText(error));
  }

  const live = Boolean(options.live || options.url);
  let server:
    | {
        url: string;
        close(): Promise<void>;
        setFaults(faults: { failTranscription?: boolean }): void;
      }
    | undefined;
  let session: Session | undefined;
  let turns: TurnTracker | undefined;
  try {
    if (!live) {
      const { startLocalRealtime, scriptedModel, rulesModel } = await import(
        "@parley/local-realtime"
      );
      const textModel = delegationScript(scenario, rulesModel());
      server = await startLocalRealtime({
        port: 0,
        pace: options.pace ?? 0,
        model: scriptedModel(compileScript(scenario, scriptOptions(agent))),
        ...(textModel ? { textModel } : {}),
      });
    }
    const log = new EventLog();
    const approver = {
      name: "scenario",
      ask: (request: ApprovalRequest) =>
        new Promise<{ approved: boolean; by: string }>((settle) => {
          log.push({
            type: "approval",
            at: clock(),
            tool: request.tool,
            request,
            decide: (approved) => settle({ approved, by: "scenario" }),
          });
        }),
    };
    session = await startSession({
      agent,
      ...(server
        ? { url: server.url }
        : options.url
          ? { url: options.live ? options.url : await withScript(options.url, scenario, agent) }
          : {}),
      ...(options.apiKey ? { apiKey: options.apiKey } : {}),
      variables: scenario.variables,
      tools: (host) => new AgentTools(host, agent, { approvers: approversFor(agent, approver) }),
      // The agent handed off to gets the scenario's env and mocks too.
      loadHandoff: async (handoff) =>
        withMocks(
          await loadAgent(handoff.file, { env: { ...process.env, ...scenario.env } }),
          scenario.mocks,
          { strict: false, calls: mockCalls },
        ),
    });
    turns = new TurnTracker(session);
    record(session, log, transcript, clock);
    const ctx: StepContext = {
      session,
      turns,
      log,
      transcript,
      clock,
      live,
      baseDir: dirname(resolve(scenario.file)),
      timeoutMs: options.stepTimeoutMs ?? (live ? 30_000 : 5_000),
      lastInputAt: 0,
      lastInputIndex: 0,
      ...(server ? { faults: server.setFaults.bind(server) } : {}),
    };
    await turns.idle(); // the greeting, if any, is said before the first step
    for (const step of scenario.steps) {
      const outcome = await runStep(step, ctx);
      steps.push({
        step,
        status: outcome.ok ? "passed" : "failed",
        ...(outcome.ok ? {} : { message: outcome.message }),
        at: clock(),
      });
      if (!outcome.ok) break;
    }
    return result();
  } catch (error) {
    return result(
      isParleyError(error) ? `error[${error.code}]: ${error.message}` : errorText(error),
    );
  } finally {
    turns?.dispose();
    await session?.close().catch(() => {});
    await server?.close().catch(() => {});
  }
}

/** Loopback hosts: only a local server (e.g. `agent sim`) listens there, never the OpenAI API. */
const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

/**
 * `--url` on loopback: adds the scenario's script as `?parley_script=`, which a server started by `agent sim`
 * plays for this connection (any other server ignores it and its own model decides). Other hosts get the URL as is.
 */
async function withScript(raw: string, scenario: Scenario, agent: LoadedAgent): Promise<string> {
  const url = new URL(raw);
  if (!LOOPBACK.has(url.hostname)) return raw;
  const { encodeScript, SCRIPT_PARAM } = await import("@parley/local-realtime");
  url.searchParams.set(SCRIPT_PARAM, encodeScript(compileScript(scenario, scriptOptions(agent))));
  return url.toString();
}

/** Logs what a scenario can expect, and the transcript its report shows. */
function record(
  session: Session,
  log: EventLog,
  transcript: TranscriptLine[],
  clock: () => number,
): void {
  // The session's one event stream, as the console and session logs read it.
  session.onEvent((e) => {
    switch (e.type) {
      case "agent.transcript.done": {
        const text = e.transcript.trim();
        if (!text) return;
        if (e.kind === "filler") {
          log.push({ type: "filler", at: clock(), text });
          transcript.push({ at: clock(), role: "filler", text });
        } else {
          log.push({ type: "say", at: clock(), text, kind: e.kind });
          transcript.push({ at: clock(), role: "agent", text });
        }
        return;
      }
      case "tool.call":
        log.push({
          type: "tool",
          at: clock(),
          tool: e.tool,
          args: e.arguments,
          callId: e.callId,
          ...(e.parentCallId ? { parent: e.parentCallId } : {}),
        });
        transcript.push({
          at: clock(),
          role: "tool",
          // A delegation's own calls are shown under it.
          text: `${e.parentCallId ? "  ↳ " : ""}${e.tool} ${JSON.stringify(e.arguments)}`,
        });
        return;
      case "delegation.done":
        log.push({
          type: "delegation",
          at: clock(),
          tool: e.tool,
          callId: e.callId,
          state: e.state,
          answer: e.answer,
        });
        transcript.push({
          at: clock(),
          role: "tool",
          text: `${e.tool} (${e.model}) ${e.state} in ${e.steps} step${e.steps === 1 ? "" : "s"}: ${e.answer.length > 160 ? `${e.answer.slice(0, 159)}…` : e.answer}`,
        });
        return;
      case "tool.output":
        log.push({
          type: "output",
          at: clock(),
          tool: e.tool,
          callId: e.callId,
          state: e.state,
          output: e.output,
          ...(e.parentCallId ? { parent: e.parentCallId } : {}),
        });
        transcript.push({
          at: clock(),
          role: "tool",
          text: `${e.parentCallId ? "  ↳ " : ""}${e.tool} ${e.state} → ${e.output.length > 160 ? `${e.output.slice(0, 159)}…` : e.output}`,
        });
        return;
      case "mode.changed":
        log.push({ type: "mode", at: clock(), mode: e.mode, reason: e.reason });
        transcript.push({
          at: clock(),
          role: "notice",
          text: `${e.notice} [${e.mode} mode: ${e.reason}]`,
        });
        return;
      case "approval.decided":
        transcript.push({
          at: clock(),
          role: "approval",
          text: `${e.tool} ${e.approved ? "approved" : "denied"}${e.reason ? ` (${e.reason})` : ""}`,
        });
        return;
    }
  });
}

/** The first example's arguments of each tool (for `expect_tool` steps that give none), and its delegate's mode. */
function scriptOptions(agent: LoadedAgent): ScriptOptions {
  const tool = (name: string) => agent.tools.find((t) => t.name === name);
  return {
    exampleArgs: (name) => tool(name)?.examples?.[0]?.args as Record<string, unknown> | undefined,
    asyncDelegate: (name) => tool(name)?.delegate?.mode === "async",
  };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
