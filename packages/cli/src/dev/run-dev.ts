import { relative } from "node:path";
import {
  AgentFileError,
  AgentTools,
  formatProblems,
  type LoadedAgent,
  loadAgent,
  type Session,
  startSession,
  terminalApprover,
} from "@parley/core";
import pc from "picocolors";
import { shortId } from "../logs/list.ts";
import { type LogFlags, logSettings, openLog, pruneLogs } from "../logs/settings.ts";
import { approversFor } from "./approvers.ts";
import { type AudioLink, startAudio } from "./audio.ts";
import { devCommands, parseDevInput } from "./input.ts";
import { callTool } from "./manual-call.ts";
import { PlainView } from "./plain-view.ts";
import { reloadAgent } from "./reload.ts";
import { SessionRecord } from "./session-record.ts";
import { openTarget, resolvePace, type Target } from "./target.ts";
import { TtyView } from "./tty-view.ts";
import { TurnTracker } from "./turn-tracker.ts";
import { parseVariables } from "./variables.ts";
import type { DevStatus, DevView } from "./view.ts";
import { type AgentWatcher, watchAgentFiles } from "./watcher.ts";
import { wireSession } from "./wire-session.ts";

interface DevFlags {
  live?: boolean;
  url?: string;
  audio?: boolean;
  /** Local server pace (`--pace`, else `PARLEY_SIM_PACE`, else 1). */
  pace?: string;
  /** `name=value` session variables. */
  var?: string[];
  /** Watch the agent's files and reload on save (default true). */
  watch?: boolean;
}

export type DevOptions = DevFlags & LogFlags;

export interface DevIo {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
}

/**
 * `agent dev <agent-file>`: a conversation with the agent in the terminal, with live reload. Resolves to the exit
 * code when the person quits (or piped input ends and the last turn is done).
 */
export async function runDev(file: string, options: DevOptions, io: DevIo): Promise<number> {
  const startedAt = performance.now();
  // Ctrl-C while starting (before the prompt owns the keyboard): leave at once, quietly; nothing is open yet that
  // outlives the process (the local server runs inside it).
  const leaveEarly = () => process.exit(130);
  process.once("SIGINT", leaveEarly);
  const tty = Boolean(io.stdin.isTTY && io.stdout.isTTY);
  const color = tty && !io.env.NO_COLOR;
  const c = pc.createColors(color);
  const cwd = process.cwd();
  const showProblems = (error: AgentFileError) =>
    formatProblems(error.problems, error.sources, {
      cwd,
      paint: (part, text) =>
        part === "error"
          ? c.red(text)
          : part === "warning"
            ? c.yellow(text)
            : part === "location"
              ? c.cyan(text)
              : part === "hint"
                ? c.green(text)
                : c.dim(text),
    });

  const variables = parseVariables(options.var ?? []);
  // Offline (the embedded local server), secrets the real services need are not needed: an unset `${env:…}` is a
  // warning shown under the banner, not a reason to refuse to start. Against a real server it stays an error.
  const offline = !options.url && !options.live && !io.env.OPENAI_API_KEY;
  const loadOptions = { missingEnv: offline ? ("warn" as const) : ("error" as const), env: io.env };
  const pace = resolvePace(options.pace, io.env);
  // The server starts while the agent loads: both take a few hundred milliseconds and neither needs the other.
  const opening = openTarget({ live: options.live, url: options.url, pace, env: io.env });
  opening.catch(() => {}); // awaited below; an agent file problem is reported first
  let agent: LoadedAgent;
  try {
    agent = await loadAgent(file, loadOptions);
  } catch (error) {
    await (await opening.catch(() => undefined))?.close();
    if (error instanceof AgentFileError) {
      io.stderr.write(`${showProblems(error)}\n`);
      return 1;
    }
    throw error;
  }

  const view: DevView = tty
    ? new TtyView(io.stdin, io.stdout, color)
    : new PlainView(io.stdin, io.stdout, io.stderr);
  // Watching starts now, alongside the server and the session, and is ready before the prompt shows: a save made as
  // soon as the prompt is there is never missed. Changes seen before the session is up are applied once it is.
  let changedEarly: string[] | undefined;
  let onChange = (changed: string[]) => {
    changedEarly = [...(changedEarly ?? []), ...changed];
  };
  const watching =
    options.watch === false
      ? undefined
      : watchAgentFiles(agent.files, (changed) => onChange(changed));
  let target: Target;
  try {
    target = await opening;
  } catch (error) {
    await (await watching)?.close();
    throw error;
  }
  const watcher: AgentWatcher | undefined = await watching;
  const approver = terminalApprover({
    ask: (question, request) => view.askApproval(question, request.signal),
  });
  const logs = logSettings(options, io.env);
  pruneLogs(logs, (m) => view.notice(m));
  const sessionLog = openLog(logs, agent, variables, (m) => view.notice(m));
  let session: Session;
  try {
    session = await startSession({
      agent,
      ...(target.url ? { url: target.url } : {}),
      ...(target.apiKey ? { apiKey: target.apiKey } : {}),
      variables,
      // Always a handler, even for an agent without tools yet: a reload may add the first one. The runtime swaps
      // its tools on every agent change (reload or handoff).
      tools: (host) => new AgentTools(host, agent, { approvers: approversFor(agent, approver) }),
      ...(sessionLog ? { onEvent: sessionLog.write } : {}),
    });
    sessionLog?.attach(session);
  } catch (error) {
    await sessionLog?.close();
    await watcher?.close();
    await target.close();
    throw error;
  }

  const status: DevStatus = {
    target: target.label,
    model: agent.config.model,
    costUsd: 0,
    costIsEstimate: target.kind === "local",
    firstAudioMs: null,
    firstAnswerMs: null,
    approvalMs: null,
  };
  const turns = new TurnTracker(session);
  const record = new SessionRecord(session);
  wireSession(session, view, status);
  // After a handoff the other agent runs the session: saves of its files reload it.
  let agentFile = agent.file;
  session.on("handoff", (e) => {
    view.notice(
      `handed off from ${e.from} to ${e.to}${e.voiceKept ? ` (the voice stays ${e.voiceKept})` : ""}`,
    );
    const to = agent.handoffs.find((h) => h.name === e.to);
    if (!to) return;
    agentFile = to.file;
    void loadAgent(to.file, loadOptions).then(
      (next) => {
        agent = next;
        status.model = next.config.model;
        watcher?.setFiles(next.files);
      },
      () => {}, // the runtime loaded it a moment ago; a problem now shows on the next save
    );
  });

  let audio: AudioLink | undefined;
  // Live reload: re-load, re-validate, session.update; invalid files leave the running version in place.
  let reloading = Promise.resolve();
  const reload = (changed: string[]) => {
    reloading = reloading.then(async () => {
      const outcome = await reloadAgent(session, agentFile, agent, changed, loadOptions);
      if (outcome.kind === "invalid") {
        view.problem(showProblems(outcome.error));
        view.notice("the previous version keeps running; fix the file and save again");
        return;
      }
      if (outcome.kind === "failed") return view.problem(outcome.message);
      agent = outcome.agent;
      watcher?.setFiles(outcome.agent.files);
      view.notice(`reloaded in ${outcome.ms} ms: ${outcome.summary}`);
    });
    return reloading;
  };
  onChange = (changed) => void reload(changed);
  if (changedEarly) void reload(changedEarly);

  let quitting: Promise<number> | undefined;
  let resolveDone: (code: number) => void = () => {};
  const done = new Promise<number>((resolve) => (resolveDone = resolve));
  const quit = (code = 0) => {
    quitting ??= (async () => {
      await watcher?.close();
      audio?.stop();
      turns.dispose();
      await session.close().catch(() => {});
      await target.close().catch(() => {});
      await sessionLog?.close();
      const saved = record.save(cwd, agent.name);
      const summary = [
        `session ended · ${record.summary(session.costUsd, status.costIsEstimate)}`,
        ...(saved ? [`transcript saved to ${relative(cwd, saved)} (secrets redacted)`] : []),
        ...(sessionLog && !sessionLog.error
          ? [
              `session log: ${relative(cwd, sessionLog.file)} (agent logs show ${shortId(sessionLog.file)})`,
            ]
          : []),
      ];
      view.close();
      if (tty) io.stdout.write(`${summary.map((l) => c.dim(l)).join("\n")}\n`);
      else for (const line of summary) io.stderr.write(`# ${line}\n`);
      resolveDone(code);
      return code;
    })();
    return quitting;
  };
  session.on("closed", (e) => {
    if (quitting) return;
    // The agent's own limits (budget, session length) and its tools (end_call) end a session normally; a dropped
    // socket or an error does not.
    const normal =
      e.reason === "closed" ||
      e.reason === "budget" ||
      e.reason === "max_session_length" ||
      e.reason === "ended";
    if (e.reason !== "closed")
      (normal ? view.notice : view.problem).call(view, `the session ended: ${e.detail}`);
    void quit(normal ? 0 : 1);
  });

  const nextWhenIdle = () => void turns.idle().then(() => view.ready());
  const handle = async (line: string) => {
    if (quitting) return; // the session has ended (a limit, /quit): input left over is not said to anyone
    const input = parseDevInput(line);
    try {
      switch (input.kind) {
        case "say":
          view.user(input.text);
          session.sendText(input.text);
          turns.nudge();
          return nextWhenIdle();
        case "image":
          view.user(`[image ${input.path}]${input.text ? ` ${input.text}` : ""}`);
          await session.sendImage(input.path, input.text ? { text: input.text } : {});
          turns.nudge();
          return nextWhenIdle();
        case "interrupt":
          if (!session.responding) {
            view.notice("nothing to interrupt: the agent is not speaking");
            return view.ready();
          }
          session.interrupt();
          view.notice("interrupted");
          return nextWhenIdle();
        case "call":
          if (target.kind === "local") {
            // The local model obeys `/call`: the call then goes through the scheduler (fillers, approval) and the
            // model speaks about its output, exactly as if it had decided to call the tool.
            const text = `/call ${input.tool} ${JSON.stringify(input.args)}`;
            view.user(text);
            session.sendText(text);
            turns.nudge();
            return nextWhenIdle();
          }
          await callTool(agent, input.tool, input.args, view, variables);
          return view.ready();
        case "vars":
          view.notice(`variables: ${JSON.stringify({ ...agent.config.variables, ...variables })}`);
          return view.ready();
        case "reload":
          await reload([]);
          return view.ready();
        case "help":
          view.banner(
            devCommands.map(([cmd, what]) => `  ${c.cyan(cmd.padEnd(22))} ${c.dim(what)}`),
          );
          return view.ready();
        case "quit":
          return void quit(0);
        case "empty":
          return view.ready();
        case "invalid":
          view.problem(input.message);
          return view.ready();
      }
    } catch (error) {
      // Shown, never thrown: `handle` runs detached (`void`), so a throw would crash dev with a stack trace.
      view.problem(errorText(error));
      view.ready();
    }
  };
  // Input is live before the banner says how to quit: a Ctrl-D typed the moment it shows is not lost.
  process.off("SIGINT", leaveEarly);
  view.start(
    (line) => void handle(line),
    // Ctrl-D at a terminal leaves now; piped input that ends leaves once the last turn is done.
    () => void (tty ? quit(0) : turns.idle().then(() => quit(0))),
  );
  const rel = relative(cwd, agent.file) || agent.file;
  view.banner([
    `${c.bold("Parley dev")} · ${c.cyan(agent.name)} ${c.dim(`(${rel})`)}`,
    c.dim(target.describe),
    tty
      ? c.dim(
          `Type to talk, Enter to send · /help for commands · Ctrl-D or /quit to leave · saving ${agent.files.length > 1 ? "its files" : "the file"} reloads the agent`,
        )
      : `ready in ${Math.round(performance.now() - startedAt)} ms`,
    ...(tty && tryThis(agent) ? [c.dim(`Try: "${tryThis(agent)}"`)] : []),
    "",
  ]);
  if (agent.warnings.length)
    view.notice(
      `${formatProblems(agent.warnings, {}, { cwd })}\n(offline, the local server needs no secrets: set them before going live)`,
    );
  view.status(status);
  if (options.audio) {
    audio = await startAudio(session, target.kind === "local");
    view.notice(audio.message);
  }

  // Wait for the greeting before the first piped line.
  nextWhenIdle();
  const onSignal = () => void quit(130);
  process.once("SIGTERM", onSignal);
  // Piped, Ctrl-C reaches us as a signal (a terminal's goes to readline): end cleanly as well.
  if (!tty) process.once("SIGINT", onSignal);
  const code = await done;
  process.off("SIGTERM", onSignal);
  process.off("SIGINT", onSignal);
  return code;
}

/** A first thing to say: a tool example (the local model recognises those), so a newcomer sees a tool run at once. */
function tryThis(agent: LoadedAgent): string | undefined {
  return agent.tools.find((t) => t.examples?.length)?.examples?.[0]?.say;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
