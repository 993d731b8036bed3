import type { SessionParts } from "./compose.ts";
import { RealtimeServerError, SessionError } from "./errors.ts";
import type { Reactions } from "./internal-events.ts";
import { settleResponse } from "./meter.ts";
import { readSettings, sharedSettings } from "./settings.ts";

/**
 * How the session's parts react to what the server says (the dispatcher's internal events), in one place. Each
 * handler is a few lines; the parts do the work. One table for every session (each gets its parts as `p`).
 */
export const reactions: Reactions<SessionParts> = {
  "session.created": (p, e) => {
    const id = (e.session as { id?: unknown }).id;
    if (typeof id === "string" && id) p.state.id = id;
    p.wire.resolve("session.created");
  },
  "session.updated": (p, e) => {
    const { state } = p;
    state.settings = sharedSettings(readSettings(e.session, state.settings));
    p.settingsChanged();
    p.wire.resolve("session.updated");
  },
  "server.error": (p, event) => {
    p.state.closingError = event.error;
    const error = new RealtimeServerError(event);
    const id = error.eventId;
    // Our cancel racing the response's own end is harmless; nobody needs to hear about it.
    if (id?.startsWith("parley_cancel_") && error.code === "response_cancel_not_active") return;
    p.responses.serverError(event.error);
    if (id) p.wire.reject(id, error);
    p.events.emit("error", { error });
  },
  "agent.spoke": (p) => {
    p.state.spoke = true;
  },
  "speech.started": (p) => {
    p.responses.userSpeechStarted();
    p.calls.call(speechStarted);
    if (p.state.settings.serverInterrupts) p.interruptions.interrupt("server", undefined);
  },
  "speech.stopped": (p) => {
    p.responses.userSpeechStopped();
    p.latency.userInputEnded(p.init.clock.now());
    p.calls.call(speechStopped);
  },
  "function.call": (p, item) => p.calls.functionCall(item),
  "approval.request": (p, item) => p.calls.approvalRequest(item),
  "response.finishing": (p, { response, live }) => {
    const { life, events } = p;
    p.interruptions.responseDone(response.id);
    const info = {
      kind: live?.kind ?? "answer",
      origin: live?.origin ?? "server",
      budgetUsd: p.state.budgetUsd,
      ending: life.ending,
    };
    const over = settleResponse(
      p.meter,
      response,
      info,
      (name, payload) => events.emit(name, payload as never),
      (name) => events.listenerCount(name) > 0,
    );
    if (over) life.goodbye("budget", over);
  },
  "response.finished": (p, { response, live }) => {
    if (live?.kind === "goodbye") p.life.goodbyeDone();
    p.life.responseFinished(response.id ?? "", live?.kind ?? "answer");
  },
  "response.stalled": (p, { live, phase, idleMs }) => {
    if (phase === "cancelling") {
      p.events.emit("error", {
        error: new SessionError(
          "response_stalled",
          `response ${live.id} (${live.kind}) had no event for ${Math.round(idleMs)} ms; it was cancelled`,
        ),
      });
      return;
    }
    // Never confirmed: finish what waits on its response.done (a truncate, the goodbye) as if it had come.
    p.interruptions.responseDone(live.id);
    if (live.kind === "goodbye") p.life.goodbyeDone();
    p.events.emit("warning", {
      code: "response_released",
      message: `the server never confirmed the end of stalled response ${live.id}; the runtime moved on without it`,
    });
  },
};

const speechStarted = (h: { onUserSpeechStarted(): void }) => h.onUserSpeechStarted();
const speechStopped = (h: { onUserSpeechStopped(): void }) => h.onUserSpeechStopped();
