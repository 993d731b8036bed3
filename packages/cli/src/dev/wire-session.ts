import type { Session } from "@parley/core";
import type { DevStatus, DevView } from "./view.ts";

/**
 * Shows the session's events: the conversation, the tool timeline, approvals, and the status line. Reads the
 * session's one event stream (`session.onEvent`), as the browser console and session logs do.
 */
export function wireSession(session: Session, view: DevView, status: DevStatus): () => void {
  const spoken = new Set<string>();
  // A person's time at an approval prompt is theirs, not the agent's: counted apart and taken out of "answer".
  const asked = new Map<string, number>();
  let approvalMs: number | null = null;
  return session.onEvent((e) => {
    switch (e.type) {
      case "user.speech.started":
        spoken.add(e.itemId);
        return;
      case "user.transcript.done":
        approvalMs = null; // a new turn: its own approval time
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
        asked.set(e.callId, performance.now());
        return view.approvalRequested(e);
      case "approval.decided": {
        const since = asked.get(e.callId);
        asked.delete(e.callId);
        if (since !== undefined) {
          approvalMs = (approvalMs ?? 0) + (performance.now() - since);
          status.approvalMs = approvalMs;
          view.status(status);
        }
        return view.approvalDecided(e);
      }
      case "usage":
        status.costUsd = e.sessionCostUsd;
        return view.status(status);
      case "latency":
        // Reported at the turn's first answer, which may come before or after an approval prompt of the turn.
        status.firstAudioMs = e.firstAudioMs;
        status.approvalMs = approvalMs;
        status.firstAnswerMs =
          e.firstAnswerMs === null ? null : Math.max(0, e.firstAnswerMs - (approvalMs ?? 0));
        return view.status(status);
      case "warning":
        return view.notice(e.message);
      case "mode.changed":
        // Told once per switch: the text fallback (audio-path failures) or the way back to voice.
        return view.notice(`${e.notice} [${e.mode} mode: ${e.reason}]`);
      case "error":
        return view.problem(`error[${e.error.code ?? e.error.name}]: ${e.error.message}`);
    }
  });
}
