import type { Session } from "@parley/core";
import type { WebSocket } from "ws";
import type { ConsoleHub } from "./console-hub.ts";
import type { CallInfo, ServerMessage } from "./protocol.ts";

/** Ended calls the picker keeps (their streams, for a page that picks one), newest first. */
const KEEP_ENDED = 20;
/** An ended call older than this leaves the list. */
const KEEP_ENDED_MS = 60 * 60 * 1000;

interface Watched {
  info: CallInfo;
  hub: ConsoleHub;
}

interface Page {
  hub: ConsoleHub;
  /** Watching the newest call (nothing picked): a new call takes the page to it. */
  follow: boolean;
}

/**
 * The calls `agent serve --console` lets a page pick: one ConsoleHub per call (it keeps the call's stream from the
 * moment the call was attached, for the page that picks it later), live calls and the recently ended ones. A page
 * watches one hub at a time: it follows the newest call until it picks one, and switching sends it the picked call's
 * hello and stream so far, then that call live. Before any call, pages wait on `lobby`.
 */
export class CallPicker {
  readonly #calls = new Map<string, Watched>();
  readonly #pages = new Map<WebSocket, Page>();
  readonly #lobby: ConsoleHub;

  constructor(lobby: ConsoleHub) {
    this.#lobby = lobby;
  }

  /** Every call listed now, newest first. */
  get calls(): CallInfo[] {
    return [...this.#calls.values()].map((c) => ({ ...c.info })).reverse();
  }

  /** The hubs of the calls listed, oldest first (the downloads). */
  get hubs(): ConsoleHub[] {
    return [...this.#calls.values()].map((c) => c.hub);
  }

  /** A page connected: it follows the newest call; its frames go to the hub it watches. */
  add(ws: WebSocket): void {
    const page: Page = { hub: this.#newest(), follow: true };
    this.#pages.set(ws, page);
    ws.on("close", () => {
      this.#pages.get(ws)?.hub.leave(ws);
      this.#pages.delete(ws);
    });
    ws.on("error", () => ws.terminate());
    ws.on("message", (data, isBinary) => this.#pages.get(ws)?.hub.receive(ws, data, isBinary));
    page.hub.join(ws);
    this.#sendCalls(ws);
  }

  /**
   * A new call: `hub` (made for it) takes the pages that follow the newest call, then follows the session (they see
   * it open). The call is listed until it has ended and aged out.
   */
  added(info: Omit<CallInfo, "state">, hub: ConsoleHub, session: Session): void {
    const watched: Watched = { info: { ...info, state: "live" }, hub };
    this.#calls.set(info.id, watched);
    for (const [ws, page] of this.#pages) if (page.follow) this.#move(ws, page, hub);
    hub.attach(session);
    session.on("closed", (closed) => {
      watched.info = {
        ...watched.info,
        state: "ended",
        endedAt: Date.now(),
        reason: closed.reason,
      };
      this.#prune();
      this.#broadcastCalls();
    });
    this.#prune();
    this.#broadcastCalls();
  }

  /** The page picked a call (null: the newest, and the ones after it). Throws for a call not listed. */
  pick(ws: WebSocket, callId: string | null): void {
    const page = this.#pages.get(ws);
    if (!page) return;
    const hub = callId === null ? this.#newest() : this.#calls.get(callId)?.hub;
    if (!hub) throw new Error(`no call ${callId} to watch: it is not listed (or has aged out)`);
    page.follow = callId === null;
    this.#move(ws, page, hub);
    this.#sendCalls(ws);
  }

  close(): void {
    for (const ws of this.#pages.keys()) ws.close(1001, "the console is closing");
    this.#pages.clear();
  }

  #newest(): ConsoleHub {
    return [...this.#calls.values()].at(-1)?.hub ?? this.#lobby;
  }

  #move(ws: WebSocket, page: Page, hub: ConsoleHub): void {
    if (page.hub === hub) return;
    page.hub.leave(ws);
    page.hub = hub;
    hub.join(ws);
  }

  /** Ended calls beyond the newest KEEP_ENDED, or ended over KEEP_ENDED_MS ago, go (a page on one follows the newest). */
  #prune(): void {
    const now = Date.now();
    const ended = [...this.#calls.values()].filter((c) => c.info.state === "ended").reverse();
    for (const [i, call] of ended.entries()) {
      if (i < KEEP_ENDED && now - (call.info.endedAt ?? now) < KEEP_ENDED_MS) continue;
      this.#calls.delete(call.info.id);
      for (const [ws, page] of this.#pages)
        if (page.hub === call.hub) {
          page.follow = true;
          this.#move(ws, page, this.#newest());
        }
    }
  }

  #broadcastCalls(): void {
    for (const ws of this.#pages.keys()) this.#sendCalls(ws);
  }

  #sendCalls(ws: WebSocket): void {
    const page = this.#pages.get(ws);
    if (!page || ws.readyState !== ws.OPEN) return;
    const watching = [...this.#calls.values()].find((c) => c.hub === page.hub)?.info.id ?? null;
    const message: ServerMessage = {
      type: "calls",
      calls: this.calls,
      watching,
      follow: page.follow,
    };
    ws.send(JSON.stringify(message));
  }
}
