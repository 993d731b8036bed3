import type { ModelAction, RealtimeModel } from "@parley/local-realtime";
import type { Scenario, Step } from "./schema.ts";

type Delegation = Extract<Step, { kind: "expect_delegation" }>;

/**
 * The offline text model (`POST /v1/responses` of the local server) for a scenario whose `expect_delegation` steps
 * give a `reply:`: each delegation, in the scenario's order, makes its `calls:` (with their arguments) in its first
 * request and answers `reply` once their outputs are back. Delegations without `reply` (and any request past the
 * scenario's) go to `fallback`, the rules model. Undefined when no step has a reply: the rules model does it all.
 *
 * A request is a delegation's next step when its input ends with tool outputs; anything else starts the next one.
 *
 * @example
 * startLocalRealtime({ model, textModel: delegationScript(scenario, rulesModel()) })
 */
export function delegationScript(
  scenario: Pick<Scenario, "steps">,
  fallback: RealtimeModel,
): RealtimeModel | undefined {
  const delegations = scenario.steps.filter(
    (s): s is Delegation & (typeof scenario.steps)[number] => s.kind === "expect_delegation",
  );
  if (!delegations.some((d) => d.reply)) return undefined;
  let next = 0;
  let current: { step: Delegation | undefined; called: boolean } = {
    step: undefined,
    called: false,
  };
  return {
    name: "scripted-text",
    respond(ctx) {
      const continuing = ctx.items.at(-1)?.item.type === "function_call_output";
      if (!continuing) current = { step: delegations[next++], called: false };
      const step = current.step;
      if (!step?.reply) return fallback.respond(ctx);
      if (!current.called && step.calls.length > 0) {
        current.called = true;
        return step.calls.map(
          (c): ModelAction => ({ call: { name: c.tool, arguments: c.args ?? {} } }),
        );
      }
      return [{ say: step.reply }];
    },
  };
}
