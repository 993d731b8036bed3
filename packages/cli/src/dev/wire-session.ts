import type { Session } from "@parley/core";
import type { DevStatus, DevView } from "./view.ts";

/**
 * Shows the session's events: the conversation, the tool timeline, approvals, and the status line. Reads the
 * session's one event stream (`session.onEvent`), as the browser console and session logs do.
 */
export function wireSession(session: Session, view: DevView, status: DevStatus): () => void {
  const spoken = new Set<string>();
  return session.onEvent((e) => {
    switch (e.type) {
      case "user.speech.started":
        spoken.add(e.itemId);
        return;
      case "user.transcript.done":
        // Typed text is shown when sent; spoken input shows here once recognised.
        if (spoken.has(e.itemId)) view.user(e.transcript);
        return;
      case "agent.transcript.delta":
        return view.agentDelta(e);
      case "agent.transcript.done":
        return view.agentDone(e);
      case "response.done":
        return view.responseEnded(e);
      case "interrupted":
        return view.interrupted(e);
      case "tool.call":
        return view.toolCall(e);
      case "tool.progress":
        return view.toolProgress(e);
      case "tool.output":
        return view.toolOutput(e);
      case "approval.requested":
        return view.approvalRequested(e);
      case "approval.decided":
        return view.approvalDecided(e);
      case "usage":
        status.costUsd = e.sessionCostUsd;
        return view.status(status);
      case "latency":
        status.firstAudioMs = e.firstAudioMs;
        status.firstAnswerMs = e.firstAnswerMs;
        return view.status(status);
      case "warning":
        return view.notice(e.message);
      case "error":
        return view.problem(`error[${e.error.code ?? e.error.name}]: ${e.error.message}`);
    }
  });
}
