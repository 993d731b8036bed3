import { resolve } from "node:path";
import type { Session } from "@parley/core";
import type { TurnTracker } from "../dev/turn-tracker.ts";
import { expectDelegation } from "./delegation-step.ts";
import type { EventLog } from "./event-log.ts";
import { callMatch, partialMatch, sayMatches } from "./match.ts";
import { expectMode, setFault } from "./mode-steps.ts";
import type { TranscriptLine } from "./result.ts";
import type { LocatedStep } from "./schema.ts";

export interface StepContext {
  session: Session;
  turns: TurnTracker;
  log: EventLog;
  transcript: TranscriptLine[];
  clock: () => number;
  /** Live (real model): latency budgets are not enforced and audio is sent as text. */
  live: boolean;
  baseDir: string;
  timeoutMs: number;
  /** When the last user input ended (ms since start), for `within` budgets. */
  lastInputAt: number;
  /** Log length at the last user input: `expect_no_tool` looks from there. */
  lastInputIndex: number;
  /** Sets the local server's faults (offline only; `fault` steps). */
  faults?: (faults: { failTranscription?: boolean }) => void;
}

export type StepOutcome = { ok: true } | { ok: false; message: string };

const pass: StepOutcome = { ok: true };
const fail = (message: string): StepOutcome => ({ ok: false, message });

/** Runs one step: sends the user's input, answers an approval, or waits for what the step expects. */
export async function runStep(step: LocatedStep, ctx: StepContext): Promise<StepOutcome> {
  switch (step.kind) {
    case "user":
      return userInput(ctx, step.text, async () => {
        if (step.audio && !ctx.live) {
          const { speechAudio } = await import("@parley/local-realtime");
          const turnEndsItself = ctx.session.settings.serverCreatesResponses;
          ctx.session.appendAudio(
            speechAudio(step.text, turnEndsItself ? {} : { silenceAfterMs: 0 }),
          );
          if (!turnEndsItself) ctx.session.commitAudio();
        } else {
          ctx.session.sendText(step.text);
        }
      });
    case "image":
      return userInput(ctx, `[image ${step.path}]${step.text ? ` ${step.text}` : ""}`, () =>
        ctx.session.sendImage(
          resolve(ctx.baseDir, step.path),
          step.text ? { text: step.text } : {},
        ),
      );
    case "expect_tool": {
      // A delegation's own calls (nested) are expect_delegation's business.
      const found = await ctx.log.next(
        "tool",
        callMatch(step.name, step.args, undefined),
        endOfTurn(ctx),
      );
      const want = `${step.name}${step.args ? ` with ${JSON.stringify(step.args)}` : ""}`;
      if (!found)
        return fail(`expected a call to ${want}, but the agent made no tool call${saidSince(ctx)}`);
      ctx.log.consume(found.event);
      if (!found.matched) {
        return fail(
          `expected a call to ${want}\n   but it called ${found.event.tool} with ${JSON.stringify(found.event.args)}`,
        );
      }
      return budget(ctx, step.within, found.event.at, `the call to ${step.name}`);
    }
    case "expect_output": {
      const found = await ctx.log.next(
        "output",
        (e) => e.tool === step.name && e.parent === undefined,
        endOfTurn(ctx),
      );
      if (!found)
        return fail(`expected ${step.name} to end, but no call of it ended${saidSince(ctx)}`);
      ctx.log.consume(found.event);
      const e = found.event;
      if (e.state !== step.state)
        return fail(
          `expected ${step.name} to end ${step.state}, but it ended ${e.state}: ${e.output}`,
        );
      const matches =
        typeof step.output === "string"
          ? e.output.toLowerCase().includes(step.output.toLowerCase()) // an error message: contained is enough
          : partialMatch(step.output, parseOutput(e.output));
      if (step.output !== undefined && !matches) {
        return fail(
          `expected ${step.name}'s output to contain ${JSON.stringify(step.output)}\n   it was ${e.output}`,
        );
      }
      return pass;
    }
    case "expect_delegation":
      return expectDelegation(step, ctx);
    case "expect_filler": {
      const found = await ctx.log.next(
        "filler",
        (e) => !step.contains || sayMatches(e.text, { contains: step.contains }),
        endOfTurn(ctx),
      );
      if (!found) {
        const fillers = ctx.log.unread("filler").map((f) => JSON.stringify(f.text));
        return fail(
          step.contains
            ? `expected a filler containing ${JSON.stringify(step.contains)}; ${fillers.length ? `fillers said: ${fillers.join(", ")}` : "no filler was said"}`
            : "expected a filler while a tool ran, but none was said (is the tool faster than its filler's `after`?)",
        );
      }
      ctx.log.consume(found.event);
      return budget(ctx, step.within, found.event.at, "the filler");
    }
    case "approve":
    case "deny": {
      const found = await ctx.log.next(
        "approval",
        (e) => (!step.tool || e.tool === step.tool ? true : "stop"),
        endOfTurn(ctx),
      );
      if (!found)
        return fail(
          `expected an approval request${step.tool ? ` for ${step.tool}` : ""}, but none was made${saidSince(ctx)}`,
        );
      ctx.log.consume(found.event);
      if (!found.matched)
        return fail(
          `expected an approval request for ${step.tool}, but it was for ${found.event.tool}`,
        );
      found.event.decide(step.kind === "approve");
      return pass;
    }
    case "expect_say": {
      if (!ctx.live && step.regex && !step.reply && step.contains === undefined) {
        return fail(
          "offline, an expect_say with only a regex needs `reply:` (what the scripted model says here)",
        );
      }
      const found = await ctx.log.next("say", (e) => sayMatches(e.text, step), endOfTurn(ctx));
      const want = step.regex
        ? `to match /${step.regex}/i`
        : `to say ${JSON.stringify(step.contains)}`;
      if (!found) {
        const said = ctx.log.unread("say").map((s) => JSON.stringify(s.text));
        return fail(
          `expected the agent ${want}\n   ${said.length ? `it said: ${said.join(" then ")}` : "it said nothing"}`,
        );
      }
      ctx.log.consume(found.event);
      return budget(ctx, step.within, found.event.at, "the answer");
    }
    case "fault":
      return setFault(step, ctx);
    case "expect_mode":
      return expectMode(step, ctx);
    case "expect_no_tool": {
      await ctx.turns.idle();
      const calls = ctx.log
        .since("tool", ctx.lastInputIndex)
        .filter((c) => c.parent === undefined && (!step.tool || c.tool === step.tool));
      const first = calls[0];
      if (first)
        return fail(
          `expected no ${step.tool ? `call to ${step.tool}` : "tool call"}, but it called ${first.tool} with ${JSON.stringify(first.args)}`,
        );
      return pass;
    }
  }
}

async function userInput(
  ctx: StepContext,
  shown: string,
  send: () => void | Promise<void>,
): Promise<StepOutcome> {
  // One turn at a time: the previous turn (and the greeting) must be over, as it is for a person waiting to speak.
  if (!(await turnEnds(ctx))) {
    const pending = ctx.log.unread("approval").map((a) => a.tool);
    return fail(
      pending.length
        ? `the previous turn never ended: ${pending.join(", ")} still waits for approval (add an approve or deny step)`
        : `the previous turn did not end within ${seconds(ctx.timeoutMs)} (a tool still running, or the agent still speaking)`,
    );
  }
  ctx.log.skipAll();
  ctx.lastInputIndex = ctx.log.events.length;
  ctx.transcript.push({ at: ctx.clock(), role: "user", text: shown });
  await send();
  ctx.lastInputAt = ctx.clock();
  ctx.turns.nudge();
  return pass;
}

/** True when the turn ends within the step timeout. */
async function turnEnds(ctx: StepContext): Promise<boolean> {
  return (await endOfTurn(ctx)) === "ended";
}

/** Resolves when the turn is over or the step's time is up, whichever comes first. */
export function endOfTurn(ctx: StepContext): Promise<"ended" | "timed_out"> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timed_out">((r) => {
    timer = setTimeout(() => r("timed_out"), ctx.timeoutMs);
  });
  return Promise.race([ctx.turns.idle().then(() => "ended" as const), timeout]).finally(() =>
    clearTimeout(timer),
  );
}

export function budget(
  ctx: StepContext,
  within: number | undefined,
  at: number,
  what: string,
): StepOutcome {
  if (within === undefined || ctx.live) return pass;
  const took = at - ctx.lastInputAt;
  if (took <= within) return pass;
  return fail(
    `${what} came ${seconds(took)} after the user's input, over the ${seconds(within)} budget`,
  );
}

export function saidSince(ctx: StepContext): string {
  const said = ctx.log.unread("say").map((s) => JSON.stringify(s.text));
  return said.length ? `; the agent said ${said.join(" then ")}` : "";
}

/** A tool's output as the model got it: JSON when it is JSON, else the text. */
function parseOutput(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}
