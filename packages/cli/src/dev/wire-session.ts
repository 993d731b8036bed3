import type { Session } from "@parley/core";
import type { DevStatus, DevView } from "./view.ts";

/** Shows the session's events: the conversation, the tool timeline, approvals, and the status line. */
export function wireSession(session: Session, view: DevView, status: DevStatus): void {
  session.on("user.transcript.done", (e) => {
    // Typed text is shown when sent; spoken input shows here once recognised.
    if (spoken.has(e.itemId)) view.user(e.transcript);
  });
  const spoken = new Set<string>();
  session.on("user.speech.started", (e) => spoken.add(e.itemId));
  session.on("agent.transcript.delta", (e) => view.agentDelta(e));
  session.on("agent.transcript.done", (e) => view.agentDone(e));
  session.on("response.done", (e) => view.responseEnded(e));
  session.on("interrupted", (e) => view.interrupted(e));
  session.on("tool.call", (e) => view.toolCall(e));
  session.on("tool.progress", (e) => view.toolProgress(e));
  session.on("tool.output", (e) => view.toolOutput(e));
  session.on("approval.requested", (e) => view.approvalRequested(e));
  session.on("approval.decided", (e) => view.approvalDecided(e));
  session.on("usage", (e) => {
    status.costUsd = e.sessionCostUsd;
    view.status(status);
  });
  // A person's time at an approval prompt is theirs, not the agent's: counted apart and taken out of "answer".
  const asked = new Map<string, number>();
  let approvalMs: number | null = null;
  session.on("approval.requested", (e) => asked.set(e.callId, performance.now()));
  session.on("approval.decided", (e) => {
    const since = asked.get(e.callId);
    asked.delete(e.callId);
    if (since !== undefined) approvalMs = (approvalMs ?? 0) + (performance.now() - since);
  });
  session.on("latency", (e) => {
    status.firstAudioMs = e.firstAudioMs;
    status.approvalMs = approvalMs;
    status.firstAnswerMs =
      e.firstAnswerMs === null ? null : Math.max(0, e.firstAnswerMs - (approvalMs ?? 0));
    approvalMs = null;
    view.status(status);
  });
  session.on("warning", (e) => view.notice(e.message));
  session.on("error", (e) => view.problem(`error[${e.error.code}]: ${e.error.message}`));
}
