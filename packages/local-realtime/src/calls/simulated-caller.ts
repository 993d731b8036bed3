import { randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import { asAudioFormat } from "../audio/formats.ts";
import { audioChunks, speechAudio } from "../audio/speech-audio.ts";
import type { Connection } from "../connection.ts";
import { LocalRealtimeError } from "../errors.ts";
import { handleAudioEvent } from "../handlers/audio.ts";
import { sessionView } from "../session-state.ts";
import type { CallEndReason, CallRecord, CallRegistry } from "./registry.ts";
import { signWebhook } from "./webhook-signature.ts";

type Json = Record<string, unknown>;

export interface SimulatedCallOptions {
  /** Where the app receives `realtime.call.incoming` (e.g. `http://127.0.0.1:8080/openai/webhook`). */
  webhookUrl: string;
  /** The webhook's signing secret (`whsec_…`), as the app has it in OPENAI_WEBHOOK_SECRET. */
  secret: string;
  /** The caller's number (default "+14155550100"). */
  from?: string;
  /** The dialled number (default "+14155550123"). */
  to?: string;
  /** Extra SIP headers of the INVITE (e.g. `{ "X-Account": "42" }`). */
  headers?: Record<string, string>;
  /** How long the call rings before the API drops it unanswered (default 10 s; the API's own limit is unpublished). */
  answerTimeoutMs?: number;
}

/** How the app answered: accepted (with the session config), rejected (with the SIP status), or not in time. */
export type CallAnswer =
  | { type: "accepted"; session: Json }
  | { type: "rejected"; status: number }
  | { type: "no_answer" };

export interface CallLine {
  role: "agent" | "caller";
  text: string;
}

interface SimulatedCallEvents {
  line: [CallLine];
  ended: [CallEndReason];
}

/**
 * The caller's side of a SIP call on the local server: it sends the signed webhook, waits for the answer, speaks
 * (synthetic speech the server transcribes exactly), hears the agent (its transcripts) and can hang up.
 */
export class SimulatedCall extends EventEmitter<SimulatedCallEvents> {
  readonly callId: string;
  /** The webhook as delivered: its id, body and the app's HTTP status (0 when it could not be reached). */
  readonly webhook: { id: string; body: string; status: number };
  readonly answered: Promise<CallAnswer>;
  readonly ended: Promise<CallEndReason>;
  readonly transcript: CallLine[] = [];
  #cursor = 0;

  /** @internal Use `server.simulateIncomingCall()`. */
  constructor(
    private readonly calls: CallRegistry,
    private readonly call: CallRecord,
    private readonly options: SimulatedCallOptions,
    body: string,
  ) {
    super();
    this.callId = call.id;
    this.webhook = { id: `wh_${randomBytes(12).toString("hex")}`, body, status: 0 };
    // This call's events only: a caller among hundreds does not hear the others'.
    const events = call.events;
    this.answered = new Promise<CallAnswer>((resolve) => {
      const timer = setTimeout(() => {
        if (call.state === "ringing") calls.end(call, "no_answer");
      }, options.answerTimeoutMs ?? 10_000);
      timer.unref();
      const onAccepted = (c: CallRecord) =>
        c === call && done({ type: "accepted", session: c.session ?? {} });
      const onEnded = (c: CallRecord, reason: CallEndReason) =>
        c === call &&
        done(
          reason === "rejected"
            ? { type: "rejected", status: c.rejectStatus ?? 603 }
            : { type: "no_answer" },
        );
      const done = (answer: CallAnswer) => {
        clearTimeout(timer);
        events.off("accepted", onAccepted);
        events.off("ended", onEnded);
        resolve(answer);
      };
      events.on("accepted", onAccepted);
      events.on("ended", onEnded);
    });
    this.ended = new Promise<CallEndReason>((resolve) => {
      const onEnded = (c: CallRecord, reason: CallEndReason) => {
        if (c !== call) return;
        events.off("ended", onEnded);
        events.off("event", onEvent);
        this.emit("ended", reason);
        resolve(reason);
      };
      const onEvent = (c: CallRecord, event: Json) => {
        if (c !== call) return;
        const text =
          event.type === "response.output_audio_transcript.done"
            ? event.transcript
            : event.type === "response.output_text.done"
              ? event.text
              : undefined;
        if (typeof text === "string" && text) this.#line({ role: "agent", text });
      };
      events.on("ended", onEnded);
      events.on("event", onEvent);
    });
  }

  /** Delivers the webhook (again: a redelivery keeps its `webhook-id` unless told otherwise); resolves to the HTTP status. */
  async deliver(
    options: { id?: string; timestamp?: number; secret?: string } = {},
  ): Promise<number> {
    const headers = signWebhook(this.webhook.body, options.secret ?? this.options.secret, {
      id: options.id ?? this.webhook.id,
      ...(options.timestamp === undefined ? {} : { timestamp: options.timestamp }),
    });
    try {
      const response = await fetch(this.options.webhookUrl, {
        method: "POST",
        headers: {
          ...headers,
          "content-type": "application/json",
          "user-agent": "OpenAI/1.0 (+https://platform.openai.com/docs/webhooks)",
        },
        body: this.webhook.body,
      });
      await response.body?.cancel();
      this.webhook.status = response.status;
      return response.status;
    } catch {
      this.webhook.status = 0;
      return 0;
    }
  }

  get state(): CallRecord["state"] {
    return this.call.state;
  }

  /** Transfer targets the app sent with REFER. */
  get referrals(): readonly string[] {
    return this.call.referrals;
  }

  /**
   * Says `text` into the call as synthetic speech (server VAD ends the turn). Waits for the app's sideband and, like a
   * polite caller, for the agent to finish speaking (`{ interrupt: true }` barges in instead).
   */
  async say(text: string, options: { interrupt?: boolean } = {}): Promise<void> {
    const connection = await this.#sideband();
    if (!options.interrupt) await this.#quiet(connection);
    this.#line({ role: "caller", text });
    const format = asAudioFormat(sessionView.inputFormat(connection.session()));
    for (const audio of audioChunks(speechAudio(text, { format }), format, 200))
      handleAudioEvent(connection, { type: "input_audio_buffer.append", audio }, undefined);
    if (!sessionView.turnDetection(connection.session())) {
      // No server VAD on this session: the line itself ends the turn, as a push-to-talk handset would.
      handleAudioEvent(connection, { type: "input_audio_buffer.commit" }, undefined);
      connection.createResponse({});
    }
  }

  /**
   * The next agent line (after the ones already waited for) that matches; rejects when the call ends first or after
   * `timeoutMs` (default 10 s).
   */
  waitForAgent(match: string | RegExp = /./, timeoutMs = 10_000): Promise<string> {
    const test = (text: string) =>
      typeof match === "string" ? text.includes(match) : match.test(text);
    return new Promise((resolve, reject) => {
      const scan = (): boolean => {
        for (let i = this.#cursor; i < this.transcript.length; i++) {
          const line = this.transcript[i] as CallLine;
          if (line.role === "agent" && test(line.text)) {
            this.#cursor = i + 1;
            cleanup();
            resolve(line.text);
            return true;
          }
        }
        return false;
      };
      const onEnded = (reason: CallEndReason) => {
        if (scan()) return;
        cleanup();
        reject(
          new LocalRealtimeError(
            "call_ended",
            `the call ended (${reason}) before the agent said ${String(match)}`,
          ),
        );
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(
          new LocalRealtimeError(
            "timeout",
            `the agent did not say ${String(match)} within ${timeoutMs} ms`,
          ),
        );
      }, timeoutMs);
      const onLine = () => void scan();
      const cleanup = () => {
        clearTimeout(timer);
        this.off("line", onLine);
        this.off("ended", onEnded);
      };
      this.on("line", onLine);
      this.on("ended", onEnded);
      if (!scan() && this.call.state === "ended") onEnded(this.call.endReason ?? "hangup");
    });
  }

  /** The caller hangs up: the API closes the app's sideband at once. */
  hangUp(): void {
    this.calls.end(this.call, "caller_hangup");
  }

  #line(line: CallLine): void {
    this.transcript.push(line);
    this.emit("line", line);
  }

  /** Resolves once no response is in progress on the call (checked on every event the call sends). */
  #quiet(connection: Connection): Promise<void> {
    const idle = () => !connection.active && connection.outOfBand.size === 0;
    if (idle() || this.call.state === "ended") return Promise.resolve();
    return new Promise((resolve) => {
      const check = (c: CallRecord) => {
        if (c !== this.call) return;
        // rate_limits.updated follows a response's end; the slot is free by the next turn of the loop.
        setImmediate(() => {
          if (!idle() && this.call.state !== "ended") return;
          this.call.events.off("event", check);
          this.call.events.off("ended", check);
          resolve();
        });
      };
      this.call.events.on("event", check);
      this.call.events.on("ended", check);
    });
  }

  #sideband(): Promise<Connection> {
    const first = this.call.sidebands[0];
    if (first) return Promise.resolve(first.connection);
    if (this.call.state === "ended")
      return Promise.reject(new LocalRealtimeError("call_ended", "the call has ended"));
    return new Promise((resolve, reject) => {
      const onAttached = (c: CallRecord, connection: Connection) => {
        if (c !== this.call) return;
        this.call.events.off("attached", onAttached);
        this.off("ended", onEnded);
        resolve(connection);
      };
      const onEnded = () => {
        this.call.events.off("attached", onAttached);
        reject(
          new LocalRealtimeError(
            "call_ended",
            "the call ended before the app attached its sideband",
          ),
        );
      };
      this.call.events.on("attached", onAttached);
      this.once("ended", onEnded);
    });
  }
}

/** The `realtime.call.incoming` event for a new SIP call, with From/To and any extra headers. */
export function incomingCallEvent(callId: string, options: SimulatedCallOptions): Json {
  const from = options.from ?? "+14155550100";
  const to = options.to ?? "+14155550123";
  const sipHeaders = [
    {
      name: "From",
      value: `"Caller" <sip:${from}@sip.example.com>;tag=${randomBytes(4).toString("hex")}`,
    },
    { name: "To", value: `<sip:${to}@sip.api.openai.com>` },
    { name: "Call-ID", value: `${randomBytes(8).toString("hex")}@sip.example.com` },
    { name: "CSeq", value: "1 INVITE" },
    { name: "Content-Type", value: "application/sdp" },
    ...Object.entries(options.headers ?? {}).map(([name, value]) => ({ name, value })),
  ];
  return {
    id: `evt_${randomBytes(12).toString("hex")}`,
    object: "event",
    created_at: Math.floor(Date.now() / 1000),
    type: "realtime.call.incoming",
    data: { call_id: callId, sip_headers: sipHeaders },
  };
}

/** Starts a simulated incoming SIP call: registers it, delivers the signed webhook, returns the caller's handle. */
export async function simulateIncomingCall(
  calls: CallRegistry,
  options: SimulatedCallOptions,
): Promise<SimulatedCall> {
  const call = calls.create("sip");
  const body = JSON.stringify(incomingCallEvent(call.id, options));
  const simulated = new SimulatedCall(calls, call, options, body);
  // At-least-once, as the API: a delivery that is not answered 2xx is retried (with backoff) while the call rings.
  for (const wait of [500, 1000, 2000, 4000]) {
    const status = await simulated.deliver();
    if ((status >= 200 && status < 300) || call.state !== "ringing") break;
    await new Promise((resolve) => setTimeout(resolve, wait).unref());
    if (call.state !== "ringing") break;
  }
  return simulated;
}
