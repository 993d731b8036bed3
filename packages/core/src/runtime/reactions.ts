import type { SessionParts } from "./compose.ts";
import { RealtimeServerError, SessionError } from "./errors.ts";
import { settleResponse } from "./meter.ts";
import { readSettings } from "./settings.ts";

/**
 * How the session's parts react to what the server says (the dispatcher's internal events), in one place. Each
 * handler is a few lines; the parts do the work.
 */
export function react(p: SessionParts): void {
  const { bus, state, wire, responses, calls, life, interruptions, events, latency, init } = p;

  bus.on("session.created", (e) => {
    const id = (e.session as { id?: unknown }).id;
    if (typeof id === "string" && id) state.id = id;
    wire.resolve("session.created");
  });
  bus.on("session.updated", (e) => {
    state.settings = readSettings(e.session, state.settings);
    p.meter.model = state.settings.model;
    p.audio.setFormat(state.settings.outputBytesPerMs);
    wire.resolve("session.updated");
  });
  bus.on("server.error", (event) => {
    state.closingError = event.error;
    const error = new RealtimeServerError(event);
    const id = error.eventId;
    // Our cancel racing the response's own end is harmless; nobody needs to hear about it.
    if (id?.startsWith("parley_cancel_") && error.code === "response_cancel_not_active") return;
    responses.serverError(event.error);
    if (id) wire.reject(id, error);
    events.emit("error", { error });
  });
  bus.on("agent.spoke", () => {
    state.spoke = true;
  });
  bus.on("speech.started", () => {
    responses.userSpeechStarted();
    calls.call((h) => h.onUserSpeechStarted());
    if (state.settings.serverInterrupts) interruptions.interrupt("server", undefined);
  });
  bus.on("speech.stopped", () => {
    responses.userSpeechStopped();
    latency.userInputEnded(init.clock.now());
    calls.call((h) => h.onUserSpeechStopped());
  });
  bus.on("function.call", (item) => calls.functionCall(item));
  bus.on("approval.request", (item) => calls.approvalRequest(item));
  bus.on("response.finishing", ({ response, live }) => {
    interruptions.responseDone(response.id);
    const info = {
      kind: live?.kind ?? "answer",
      origin: live?.origin ?? "server",
      budgetUsd: state.budgetUsd,
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
  });
  bus.on("response.finished", ({ response, live }) => {
    if (live?.kind === "goodbye") life.goodbyeDone();
    life.responseFinished(response.id ?? "", live?.kind ?? "answer");
  });
  bus.on("response.stalled", ({ live, phase, idleMs }) => {
    if (phase === "cancelling") {
      events.emit("error", {
        error: new SessionError(
          "response_stalled",
          `response ${live.id} (${live.kind}) had no event for ${Math.round(idleMs)} ms; it was cancelled`,
        ),
      });
      return;
    }
    // Never confirmed: finish what waits on its response.done (a truncate, the goodbye) as if it had come.
    interruptions.responseDone(live.id);
    if (live.kind === "goodbye") life.goodbyeDone();
    events.emit("warning", {
      code: "response_released",
      message: `the server never confirmed the end of stalled response ${live.id}; the runtime moved on without it`,
    });
  });
}
