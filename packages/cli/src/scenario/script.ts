import type { Scenario, Step } from "./schema.ts";

/** What the scripted model does in one response: the same action shapes as the local server's models. */
export type ScriptAction =
  | { say: string }
  | { call: { name: string; arguments: Record<string, unknown> } };

/** The model's part of one user turn: its first response, then one response per batch of tool outputs. */
export interface ScriptTurn {
  /** The user's words that open the turn (for matching and for messages). */
  user: string;
  responses: ScriptAction[][];
}

/** Said when a turn expects nothing in particular from the model (only `expect_no_tool`, or nothing at all). */
export const NEUTRAL_REPLY = "Okay.";
/** Said after an async delegate's call answers at once, before its later answer arrives. */
export const ASYNC_ACK = "Let me look into that; I'll tell you as soon as I know.";

export interface ScriptOptions {
  /** The first example's arguments of a tool, for calls the scenario gives none for. */
  exampleArgs?: (tool: string) => Record<string, unknown> | undefined;
  /** True for a delegate tool whose answer comes later (`mode: async`). */
  asyncDelegate?: (tool: string) => boolean;
}

/**
 * Compiles a scenario into what the offline scripted model does, turn by turn. For each user step: the calls the
 * scenario expects next are made together in the first response (with the arguments it gives, else those of the
 * tool's first example); the answer it expects
 * (`reply`, else the `contains` text) is said after their outputs, or at once when no call is expected.
 *
 * What this leaves to be tested offline is everything that is not the model: the agent's tools and handlers (or
 * mocks), fillers and their timing, approvals, the response sequencing, latency, and the runtime end to end. With
 * `--live` the same steps test the real model.
 *
 * @example
 * compileScript(scenario) // [{ user: "Weather in Paris?", responses: [[{ call: … }], [{ say: "sunny" }]] }]
 */
export function compileScript(
  scenario: Pick<Scenario, "steps">,
  options: ScriptOptions = {},
): ScriptTurn[] {
  const exampleArgs = options.exampleArgs ?? (() => undefined);
  const turns: ScriptTurn[] = [];
  let turn:
    | { user: string; calls: ScriptAction[]; says: string[]; async: boolean; notice?: boolean }
    | undefined;
  const close = () => {
    if (!turn) return;
    const say = turn.says.length ? turn.says : [NEUTRAL_REPLY];
    const responses: ScriptAction[][] = [];
    if (turn.calls.length) responses.push(turn.calls);
    if (turn.async) responses.push([{ say: ASYNC_ACK }]);
    responses.push(say.map((s) => ({ say: s })));
    turns.push({ user: turn.user, responses });
  };
  for (const step of scenario.steps) {
    if (step.kind === "user" || step.kind === "image") {
      close();
      turn = {
        user: step.kind === "user" ? step.text : (step.text ?? ""),
        calls: [],
        says: [],
        async: false,
      };
      continue;
    }
    if (!turn) continue; // expectations before any input are about the greeting: nothing for the model to do
    if (step.kind === "expect_tool" || step.kind === "expect_delegation") {
      // A delegation's own calls are the text model's (the local server's /v1/responses), not scripted here.
      // Without `args`, the call carries the tool's first example's arguments: valid ones, so the handler runs.
      turn.calls.push({
        call: { name: step.name, arguments: step.args ?? exampleArgs(step.name) ?? {} },
      });
      if (step.kind === "expect_delegation" && options.asyncDelegate?.(step.name))
        turn.async = true;
    }
    // What is said after a mode switch is the runtime's notice (the agent tells the user), not scripted.
    if (step.kind === "expect_mode") turn.notice = true;
    if (step.kind === "expect_say" && !turn.notice) {
      const line = replyFor(step);
      if (line) turn.says.push(line);
    }
  }
  close();
  return turns;
}

function replyFor(step: Extract<Step, { kind: "expect_say" }>): string | undefined {
  return step.reply ?? step.contains;
}
