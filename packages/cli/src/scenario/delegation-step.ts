import { partialMatch } from "./match.ts";
import type { LocatedStep } from "./schema.ts";
import { budget, endOfTurn, type StepContext, type StepOutcome, saidSince } from "./steps.ts";

const fail = (message: string): StepOutcome => ({ ok: false, message });

/**
 * `expect_delegation`: the voice model calls the delegate tool (args partially matched), its text model makes the
 * listed calls of its own in order (nested under that call), each of them completes, and it answers (containing
 * `answer`).
 */
export async function expectDelegation(
  step: Extract<LocatedStep, { kind: "expect_delegation" }>,
  ctx: StepContext,
): Promise<StepOutcome> {
  const want = `${step.name}${step.args ? ` with ${JSON.stringify(step.args)}` : ""}`;
  const found = await ctx.log.next(
    "tool",
    (e) =>
      e.parent !== undefined
        ? false
        : e.tool === step.name && (!step.args || partialMatch(step.args, e.args))
          ? true
          : "stop",
    endOfTurn(ctx),
  );
  if (!found)
    return fail(
      `expected a delegation to ${want}, but the agent made no tool call${saidSince(ctx)}`,
    );
  ctx.log.consume(found.event);
  if (!found.matched)
    return fail(
      `expected a delegation to ${want}\n   but it called ${found.event.tool} with ${JSON.stringify(found.event.args)}`,
    );
  const parent = found.event.callId;
  const listed = new Set<string>();
  for (const call of step.calls) {
    const nested = await ctx.log.next(
      "tool",
      (e) =>
        e.parent !== parent
          ? false
          : e.tool === call.tool && (!call.args || partialMatch(call.args, e.args))
            ? true
            : "stop",
      endOfTurn(ctx),
    );
    const wanted = `${call.tool}${call.args ? ` with ${JSON.stringify(call.args)}` : ""}`;
    if (!nested)
      return fail(
        `expected ${step.name}'s text model to call ${wanted}, but it made no more calls`,
      );
    ctx.log.consume(nested.event);
    listed.add(nested.event.callId);
    if (!nested.matched)
      return fail(
        `expected ${step.name}'s text model to call ${wanted}\n   but it called ${nested.event.tool} with ${JSON.stringify(nested.event.args)}`,
      );
  }
  const done = await ctx.log.next("delegation", (e) => e.callId === parent, endOfTurn(ctx));
  if (!done)
    return fail(`expected ${step.name}'s text model to answer, but the delegation did not end`);
  ctx.log.consume(done.event);
  if (done.event.state !== "answered")
    return fail(
      `expected ${step.name}'s text model to answer, but the delegation ${done.event.state}: ${done.event.answer}`,
    );
  // A listed call must have worked: one the text model may no longer make (or that fails now) is a change.
  const broken = ctx.log.events.find(
    (e) =>
      e.type === "output" && e.parent === parent && listed.has(e.callId) && e.state !== "completed",
  );
  if (broken?.type === "output")
    return fail(
      `expected ${step.name}'s text model's call to ${broken.tool} to complete, but it ended ${broken.state}: ${broken.output}`,
    );
  if (step.answer && !done.event.answer.toLowerCase().includes(step.answer.toLowerCase()))
    return fail(
      `expected ${step.name}'s answer to contain ${JSON.stringify(step.answer)}\n   it was ${done.event.answer}`,
    );
  return budget(ctx, step.within, found.event.at, `the call to ${step.name}`);
}
