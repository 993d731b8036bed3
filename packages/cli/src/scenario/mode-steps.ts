import type { LocatedStep } from "./schema.ts";
import type { StepContext, StepOutcome } from "./steps.ts";

const pass: StepOutcome = { ok: true };
const fail = (message: string): StepOutcome => ({ ok: false, message });

/** `fault`: the local server's input transcriptions fail from now on (`transcription`), or work again (`none`). */
export function setFault(
  step: Extract<LocatedStep, { kind: "fault" }>,
  ctx: StepContext,
): StepOutcome {
  if (!ctx.faults)
    return fail(
      "fault steps need the local server (they cannot make the real API fail): run without --live or --url",
    );
  ctx.faults({ failTranscription: step.fault === "transcription" });
  return pass;
}

/**
 * `expect_mode`: the session switches to this mode (a `mode.changed` event since the last user input). The switch
 * can come after the turn that caused it has ended (it follows the server's events), so it waits for the step's
 * time rather than the end of the turn.
 */
export async function expectMode(
  step: Extract<LocatedStep, { kind: "expect_mode" }>,
  ctx: StepContext,
): Promise<StepOutcome> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((r) => {
    timer = setTimeout(r, ctx.timeoutMs);
  });
  const found = await ctx.log
    .next("mode", (e) => (e.mode === step.mode ? true : "stop"), timeout)
    .finally(() => clearTimeout(timer));
  if (!found)
    return fail(
      `expected the session to switch to ${step.mode}, but it stayed in ${ctx.session.mode} mode`,
    );
  ctx.log.consume(found.event);
  if (!found.matched)
    return fail(
      `expected the session to switch to ${step.mode}, but it switched to ${found.event.mode} (${found.event.reason})`,
    );
  return pass;
}
