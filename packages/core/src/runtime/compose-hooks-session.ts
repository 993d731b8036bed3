import type {
  ConversationItemTruncateEvent,
  SessionUpdateEvent,
} from "openai/resources/realtime/realtime";
import type { Clock } from "../clock/index.ts";
import type { LoadedAgent, LoadedHandoff } from "../contracts/agent.ts";
import type { Logger } from "../log/index.ts";
import type { SchedulerEvent } from "../scheduler/events.ts";
import type { ComposedSession } from "./compose.ts";
import { SessionError } from "./errors.ts";
import type { CloseReason } from "./events.ts";
import type { HandoffDeps, HandoffEvent } from "./handoffs.ts";
import type { InterruptionDeps } from "./interruption.ts";
import type { LifecycleDeps } from "./lifecycle.ts";
import type { ModeChange } from "./text-fallback.ts";

// Each part's dependencies as a class over the session's parts (see compose-hooks.ts): the session-level parts
// here (handoffs, lifecycle, interruptions, text fallback).

export class HandoffHooks implements HandoffDeps {
  readonly #p: ComposedSession;
  constructor(p: ComposedSession) {
    this.#p = p;
  }
  get ledger() {
    return this.#p.ledger;
  }
  get responses() {
    return this.#p.responses;
  }
  get clock(): Clock {
    return this.#p.init.clock;
  }
  get log(): Logger {
    return this.#p.init.log.child("handoff");
  }
  current(): LoadedAgent | undefined {
    return this.#p.agents.agent;
  }
  load(handoff: LoadedHandoff, from: LoadedAgent): Promise<LoadedAgent> {
    const load = this.#p.init.loadHandoff;
    return load
      ? load(handoff, from)
      : Promise.reject(
          new SessionError("update_unsupported", "this session cannot load agent files"),
        );
  }
  async switchTo(agent: LoadedAgent): Promise<string | undefined> {
    this.#p.assertOpen();
    return this.#p.agents.apply(agent);
  }
  greeting(agent: LoadedAgent): string | undefined {
    return this.#p.init.greetingOf?.(agent);
  }
  tool(event: SchedulerEvent): void {
    this.#p.events.emit(event.type, event as never);
    this.#p.turn.check();
  }
  handedOff(event: HandoffEvent): void {
    this.#p.events.emit("handoff", event);
  }
  failed(error: SessionError): void {
    this.#p.events.emit("error", { error });
  }
}

export class LifecycleHooks implements LifecycleDeps {
  readonly #p: ComposedSession;
  constructor(p: ComposedSession) {
    this.#p = p;
  }
  get responses() {
    return this.#p.responses;
  }
  get callsIfMade() {
    return this.#p.callsIfMade;
  }
  get wire() {
    return this.#p.wire;
  }
  get clock(): Clock {
    return this.#p.init.clock;
  }
  get goodbye(): string {
    return this.#p.init.goodbye;
  }
  get timeoutMs(): number {
    return this.#p.init.timeoutMs;
  }
  closed(reason: CloseReason, detail: string, code: number | undefined): void {
    const p = this.#p;
    p.ended();
    p.reconnect.clearRecycle();
    p.agents.release();
    p.events.emit("closed", {
      reason,
      detail,
      ...(code === undefined ? {} : { code }),
      conversation: p.conversation.snapshot(),
      costUsd: p.meter.spentUsd,
    });
  }
}

export class InterruptionHooks implements InterruptionDeps {
  readonly #p: ComposedSession;
  constructor(p: ComposedSession) {
    this.#p = p;
  }
  get audio() {
    return this.#p.audio;
  }
  get responses() {
    return this.#p.responses;
  }
  get conversation() {
    return this.#p.conversation;
  }
  get clock(): Clock {
    return this.#p.init.clock;
  }
  get playedMs(): ((itemId: string) => number | undefined) | undefined {
    return this.#p.init.playedMs;
  }
  send(event: ConversationItemTruncateEvent): void {
    this.#p.outbound.send(event);
  }
  interrupted(e: {
    itemId: string | undefined;
    playedMs: number | undefined;
    source: "user" | "server";
  }): void {
    this.#p.calls.call(onInterrupt);
    this.#p.events.emit("interrupted", e);
  }
}

const onInterrupt = (h: { onInterrupt(): void }) => h.onInterrupt();

export class FallbackHooks {
  readonly #p: ComposedSession;
  constructor(p: ComposedSession) {
    this.#p = p;
  }
  get clock(): Clock {
    return this.#p.init.clock;
  }
  get log(): Logger {
    return this.#p.init.log.child("fallback");
  }
  current(): SessionUpdateEvent {
    return this.#p.state.currentUpdate;
  }
  update(next: SessionUpdateEvent): Promise<void> {
    return this.#p.update(next);
  }
  changed(change: ModeChange): void {
    this.#p.events.emit("mode.changed", change);
  }
  tell(instructions: string): void {
    this.#p.responses.request({ kind: "answer", response: { instructions } });
  }
  failed(error: unknown): void {
    this.#p.init.log.warn("mode switch failed", { error });
  }
}
