import { randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import type { WebSocket } from "ws";
import type { Connection } from "../connection.ts";

type Json = Record<string, unknown>;

/**
 * Where a call is: `ringing` (a SIP call announced by the webhook, not yet accepted), `accepted` (the session
 * runs; a WebRTC call starts here), `ended` (hung up, rejected, transferred or dropped unanswered).
 */
export type CallState = "ringing" | "accepted" | "ended";

/** Why a call ended. */
export type CallEndReason =
  | "rejected"
  | "no_answer" // nobody accepted in time: the API drops the call
  | "caller_hangup"
  | "hangup" // POST /hangup
  | "transferred" // POST /refer
  | "server_closed";

export interface CallRecord {
  readonly id: string;
  readonly kind: "sip" | "webrtc";
  state: CallState;
  /** The session config the call was accepted (or created) with. */
  session: Json | undefined;
  /** SIP status sent on reject. */
  rejectStatus?: number;
  /** Targets of every REFER, in order. */
  readonly referrals: string[];
  endReason?: CallEndReason;
  /** Sideband sockets attached by `?call_id=` (the first live one carries the caller's audio). */
  readonly sidebands: { ws: WebSocket; connection: Connection }[];
  /** This call's own events (the registry's, for this call only): listeners cost nothing for other calls. */
  readonly events: EventEmitter<CallRegistryEvents>;
}

/** What the registry reports (tests and the simulated caller listen). */
export interface CallRegistryEvents {
  accepted: [CallRecord];
  rejected: [CallRecord];
  referred: [CallRecord, string];
  attached: [CallRecord, Connection];
  ended: [CallRecord, CallEndReason];
  /** A server event sent on one of the call's sidebands. */
  event: [CallRecord, Json];
}

/** The API's call ids: `rtc_` and 32 hex characters. */
export function newCallId(): string {
  return `rtc_${randomBytes(16).toString("hex")}`;
}

/** Every call the local server knows about, by id. Ended calls stay (their record answers later requests). */
export class CallRegistry extends EventEmitter<CallRegistryEvents> {
  readonly #calls = new Map<string, CallRecord>();

  constructor() {
    super();
    // Tests and benchmarks follow many calls at once.
    this.setMaxListeners(0);
  }

  /** Emits on the registry and on the call's own emitter. */
  override emit<K extends keyof CallRegistryEvents>(
    name: K,
    ...args: CallRegistryEvents[K]
  ): boolean {
    const call = args[0] as CallRecord;
    call.events.emit(name, ...(args as never));
    return super.emit(name, ...(args as never));
  }

  create(kind: CallRecord["kind"], session?: Json): CallRecord {
    const call: CallRecord = {
      id: newCallId(),
      kind,
      state: kind === "webrtc" ? "accepted" : "ringing",
      session,
      referrals: [],
      sidebands: [],
      events: new EventEmitter<CallRegistryEvents>().setMaxListeners(0),
    };
    this.#calls.set(call.id, call);
    return call;
  }

  get(id: string): CallRecord | undefined {
    return this.#calls.get(id);
  }

  /** Calls whose session is running. */
  get active(): number {
    let n = 0;
    for (const c of this.#calls.values()) if (c.state === "accepted") n++;
    return n;
  }

  accept(call: CallRecord, session: Json): void {
    call.state = "accepted";
    call.session = session;
    this.emit("accepted", call);
  }

  reject(call: CallRecord, status: number): void {
    call.rejectStatus = status;
    this.emit("rejected", call);
    this.end(call, "rejected");
  }

  refer(call: CallRecord, target: string): void {
    call.referrals.push(target);
    this.emit("referred", call, target);
  }

  attach(call: CallRecord, ws: WebSocket, connection: Connection): void {
    const entry = { ws, connection };
    call.sidebands.push(entry);
    ws.on("close", () => {
      const i = call.sidebands.indexOf(entry);
      if (i >= 0) call.sidebands.splice(i, 1);
    });
    this.emit("attached", call, connection);
  }

  /** Ends a call; like the API, its sidebands close at once (pending events are lost). */
  end(call: CallRecord, reason: CallEndReason): void {
    if (call.state === "ended") return;
    call.state = "ended";
    call.endReason = reason;
    for (const { ws } of call.sidebands) ws.close(1000, `call ended: ${reason}`);
    this.emit("ended", call, reason);
  }

  /** Ends every call (the server is closing). */
  endAll(): void {
    for (const call of this.#calls.values()) this.end(call, "server_closed");
  }
}
