import { lineToSay } from "../../../core/src/contracts/fillers.ts";
import { rulesModel } from "./rules.ts";
import type { ModelAction, ModelContext, ModelItem, RealtimeModel } from "./types.ts";

/**
 * A scenario step: expect user input, or a model action. In a flat list, a response takes the actions after
 * the expected user input up to and including the next group of calls; the response after the calls' outputs
 * takes the actions that follow, and so on until the next `user` step.
 */
export type ScriptStep = { user: string | RegExp } | ModelAction;

/** The same scenario grouped explicitly: per user turn, the actions of each response in order. */
export interface ScriptTurn {
  /** Expected user input that opens the turn; omitted for a turn before any input (a scripted greeting). */
  user?: string | RegExp;
  responses: ModelAction[][];
}

export interface ScriptMismatch {
  /** Index of the turn that expected the input. */
  turn: number;
  expected: string;
  got: string;
}

export interface ScriptProgress {
  /** Turns started so far, out of `total`. */
  started: number;
  total: number;
  /** True when every turn has been played and its responses given. */
  finished: boolean;
  mismatches: ScriptMismatch[];
}

export interface ScriptedModel extends RealtimeModel {
  progress(): ScriptProgress;
}

export interface ScriptedModelOptions {
  /** Called when the user's input does not match what the script expects next. */
  onMismatch?: (mismatch: ScriptMismatch) => void;
  /** Handles responses the script does not cover (greetings, fillers, unexpected input); default: the rules model. */
  fallback?: RealtimeModel;
}

/** Normalizes for comparison: case, punctuation and spacing do not matter. */
function normalize(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
}

function matches(expected: string | RegExp, got: string): boolean {
  return typeof expected === "string" ? normalize(got) === normalize(expected) : expected.test(got);
}

/** Groups a flat step list into turns: a response ends after a group of calls; a `user` step opens a turn. */
export function toTurns(steps: readonly ScriptStep[]): ScriptTurn[] {
  const turns: ScriptTurn[] = [];
  let turn: ScriptTurn | undefined;
  let response: ModelAction[] = [];
  const flush = () => {
    if (turn && response.length) turn.responses.push(response);
    response = [];
  };
  for (const step of steps) {
    if ("user" in step) {
      flush();
      turn = { user: step.user, responses: [] };
      turns.push(turn);
      continue;
    }
    if (!turn) {
      turn = { responses: [] };
      turns.push(turn);
    }
    const last = response.at(-1);
    if (last && "call" in last && !("call" in step)) flush();
    response.push(step);
  }
  flush();
  return turns;
}

/**
 * A model that plays a scenario: for each user turn it checks the input against what the script expects and
 * gives the scripted responses in order (the first on the user's input, the next ones after tool outputs).
 * Out-of-band responses (fillers) and `Say exactly` instructions never consume script steps: they go to the
 * fallback model, as do greetings the script does not cover.
 *
 * @example
 * const model = scriptedModel([
 *   { user: "book a room for two nights" },
 *   { call: { name: "book_room", arguments: { nights: 2 } } },
 *   { say: "Booked: two nights." },
 * ]);
 * const server = await startLocalRealtime({ model, pace: 0 });
 * // … run the conversation …
 * expect(model.progress()).toMatchObject({ finished: true, mismatches: [] });
 */
export function scriptedModel(
  script: readonly ScriptStep[] | readonly ScriptTurn[],
  options: ScriptedModelOptions = {},
): ScriptedModel {
  const turns: ScriptTurn[] = isTurns(script)
    ? script.map((t) => ({ ...t, responses: [...t.responses] }))
    : toTurns(script);
  const fallback = options.fallback ?? rulesModel();
  const mismatches: ScriptMismatch[] = [];
  let next = 0; // the next turn to start
  let current: { turn: ScriptTurn; response: number } | undefined;
  let consumedUserId: string | undefined;

  const respond = (ctx: ModelContext): ModelAction[] | Promise<ModelAction[]> => {
    if (ctx.outOfBand || lineToSay(ctx.responseInstructions) !== undefined)
      return fallback.respond(ctx);
    if (ctx.continuation && current && current.response < current.turn.responses.length) {
      return current.turn.responses[current.response++] as ModelAction[];
    }
    const user = latestUser(ctx.items);
    if (user && user.id !== consumedUserId) {
      consumedUserId = user.id;
      const turn = turns[next];
      if (turn && turn.user !== undefined && matches(turn.user, user.text)) {
        next++;
        current = { turn, response: 1 };
        return turn.responses[0] ?? [];
      }
      const mismatch = {
        turn: next,
        expected: !turn
          ? "(no more input)"
          : turn.user === undefined
            ? "(a response before any user input)"
            : String(turn.user),
        got: user.text,
      };
      mismatches.push(mismatch);
      options.onMismatch?.(mismatch);
      return fallback.respond(ctx);
    }
    // No new user input: the next response of the current turn (after tool outputs), or an opening turn.
    if (current && current.response < current.turn.responses.length)
      return current.turn.responses[current.response++] as ModelAction[];
    const opening = turns[next];
    if (opening && opening.user === undefined) {
      next++;
      current = { turn: opening, response: 1 };
      return opening.responses[0] ?? [];
    }
    return fallback.respond(ctx);
  };

  return {
    name: "scripted",
    respond,
    progress: () => ({
      started: next,
      total: turns.length,
      finished:
        next === turns.length && (!current || current.response >= current.turn.responses.length),
      mismatches: [...mismatches],
    }),
  };
}

function isTurns(
  script: readonly ScriptStep[] | readonly ScriptTurn[],
): script is readonly ScriptTurn[] {
  return script.length > 0 && script.every((s) => "responses" in s);
}

function latestUser(items: readonly ModelItem[]): ModelItem | undefined {
  for (let i = items.length - 1; i >= 0; i--) {
    const it = items[i] as ModelItem;
    if (it.item.type === "message" && it.item.role === "user") return it;
  }
  return undefined;
}
