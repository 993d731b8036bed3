import { ParleyError } from "../errors/index.ts";
import { redactMessage } from "../log/redact.ts";
import { type DelegationRun, runDelegation } from "./run-delegation.ts";

/** What an async delegate call answers at once: the voice model tells the caller an answer is coming. */
export const ASYNC_ACCEPTED = {
  status: "delegated",
  note: "The answer will follow as soon as it is ready; tell the caller you are looking into it.",
} as const;

/**
 * Runs a delegate tool's call. Sync: the call's result is the text model's answer (the voice model waits, with the
 * tool's fillers). Async: the call answers at once (`ASYNC_ACCEPTED`), and the text model's answer, or why there is
 * none, reaches the conversation later through `DelegationHost.deliver` (the response queue speaks it when the
 * conversation allows). An async delegation keeps its own timeout (`timeoutMs`) and stops when the session ends.
 */
export function startDelegation(run: DelegationRun, timeoutMs: number): unknown {
  if ((run.tool.delegate.mode ?? "sync") === "sync") return runDelegation(run);
  const delegation = run.host.delegation;
  if (!delegation) return runDelegation(run); // refuses with a clear error
  const abort = new AbortController();
  const { clock } = run.host;
  const timer = clock.setTimeout(() => {
    const seconds = Math.round(timeoutMs / 100) / 10;
    abort.abort(
      new ParleyError("call_timeout", `${run.tool.name} did not answer within ${seconds}s`),
    );
  }, timeoutMs);
  const onClose = () => abort.abort(new ParleyError("call_session_closed", "the session ended"));
  delegation.closed.addEventListener("abort", onClose, { once: true });
  const finish = () => {
    clock.clearTimeout(timer);
    delegation.closed.removeEventListener("abort", onClose);
  };
  runDelegation({ ...run, signal: abort.signal }).then(
    (answer) => {
      finish();
      const text = typeof answer === "string" ? answer : JSON.stringify(answer);
      delegation.deliver({ callId: run.callId, tool: run.tool.name, text, failed: false });
    },
    (error: unknown) => {
      finish();
      if (delegation.closed.aborted) return;
      const why = abort.signal.aborted
        ? String((abort.signal.reason as Error | undefined)?.message ?? "it was cancelled")
        : redactMessage(error instanceof Error ? error.message : String(error));
      delegation.deliver({
        callId: run.callId,
        tool: run.tool.name,
        text: why,
        failed: true,
      });
    },
  );
  return ASYNC_ACCEPTED;
}
