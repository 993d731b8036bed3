import { callMatch } from "./match.ts";
import type { LocatedStep } from "./schema.ts";
import { budget, endOfTurn, type StepContext, type StepOutcome, saidSince } from "./steps.ts";

const fail = (message: string): StepOutcome => ({ ok: false, message });

/**
 * `expect_delegation`: the voice model calls the delegate tool (args partially matched), its text model makes the
 * listed calls of its own in order (nested under that call), each of them completes, and it answers (containing
 * `answer`). For an async delegate (`mode: async`) the voice model's turn ends before the text model answers: the
 * nested calls and the answer are awaited until the delegation ends (its own timeout bounds that), then until the
 * answer is delivered to the conversation (its system item is added), so the `expect_say` that follows waits for the
 * later reply.
 */
export async function expectDelegation(
  step: Extract<LocatedStep, { kind: "expect_delegation" }>,
  ctx: StepContext,
): Promise<StepOutcome> {
  const async =
    ctx.session.agent?.tools.find((t) => t.name === step.name)?.delegate?.mode === "async";
  if (!async) return delegation(step, ctx, () => endOfTurn(ctx));
  // Async: the voice model's turn is over long before the text model answers. The delegation's own end (it always
  // ends: answered, failed, or at its own timeout) bounds the waits; the cap only keeps a broken run from hanging.
  let timer: NodeJS.Timeout | undefined;
  let delivered = false;
  let onDelivered: (() => void) | undefined;
  const deliveredOnce = new Promise<void>((r) => {
    onDelivered = r;
  });
  const listener = (e: { type: string; item?: unknown }) => {
    if (e.type !== "conversation.item.added" || !isDelivery(e.item, step.name)) return;
    delivered = true;
    onDelivered?.();
  };
  ctx.session.on("server.event", listener as never);
  const cap = new Promise<void>((r) => {
    timer = setTimeout(r, Math.max(ctx.timeoutMs, ASYNC_CAP_MS));
  });
  try {
    const outcome = await delegation(step, ctx, (parent) =>
      ctx.log.next("delegation", (e) => e.callId === parent, cap),
    );
    if (!outcome.ok) return outcome;
    await Promise.race([deliveredOnce, cap]);
    return delivered
      ? outcome
      : fail(`${step.name} answered, but its answer never reached the conversation`);
  } finally {
    clearTimeout(timer);
    ctx.session.off("server.event", listener as never);
  }
}

/** Only keeps a broken async delegation from hanging a run: the delegation's own timeout ends it first. */
const ASYNC_CAP_MS = 120_000;

/** The async answer's system item (runtime/delegation-host.ts `deliveryText`): "Answer from <tool> …". */
function isDelivery(item: unknown, tool: string): boolean {
  const m = item as { type?: string; role?: string; content?: { text?: string }[] } | undefined;
  if (m?.type !== "message" || m.role !== "system") return false;
  const text = m.content?.[0]?.text ?? "";
  return text.startsWith(`Answer from ${tool} `) || text.startsWith(`No answer from ${tool} `);
}

async function delegation(
  step: Extract<LocatedStep, { kind: "expect_delegation" }>,
  ctx: StepContext,
  /** What ends the waits for the text model's calls and answer, given the delegate call's id. */
  until: (parent: string) => Promise<unknown>,
): Promise<StepOutcome> {
  const want = `${step.name}${step.args ? ` with ${JSON.stringify(step.args)}` : ""}`;
  const found = await ctx.log.next(
    "tool",
    callMatch(step.name, step.args, undefined),
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
      callMatch(call.tool, call.args, parent),
      until(parent),
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
  const done = await ctx.log.next("delegation", (e) => e.callId === parent, until(parent));
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
