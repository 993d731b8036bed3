import type { CallState } from "./call-state.ts";

/**
 * Tool lifecycle events for UIs (`agent dev`, traces). Arguments are already redacted.
 * Delivered through `SchedulerHost.emit`; a listener that throws never breaks the scheduler.
 * `parentCallId` is set on the events of a delegated text model's own tool calls: the delegate call they run under.
 */
export type SchedulerEvent = (ToolLifecycleEvent | DelegationEvent) & { parentCallId?: string };

/** What a delegate tool's text model did (core/src/delegate): each request, and the end of the delegation. */
export type DelegationEvent =
  | {
      /** One Responses API request finished: the tools it asked for (run next, nested), its tokens and cost. */
      type: "delegation.step";
      callId: string;
      tool: string;
      model: string;
      step: number;
      calls: string[];
      ms: number;
      tokens: { input: number; output: number; cached: number };
      costUsd: number | undefined;
      at: number;
    }
  | {
      type: "delegation.done";
      callId: string;
      tool: string;
      model: string;
      mode: "sync" | "async";
      state: "answered" | "failed" | "cancelled" | "timed_out";
      steps: number;
      /** From the delegation's start to its answer (or end), text-model requests and nested calls included. */
      ms: number;
      /** Time spent waiting for the text model (the rest is Parley and the nested tools). */
      modelMs: number;
      /** The answer (redacted), or why there is none. */
      answer: string;
      at: number;
    };

type ToolLifecycleEvent =
  | { type: "tool.call"; callId: string; tool: string; arguments: unknown; at: number }
  | { type: "tool.state"; callId: string; tool: string; from: CallState; to: CallState; at: number }
  | { type: "tool.progress"; callId: string; tool: string; message: string; at: number }
  | {
      /** A filler was requested from the response queue (it may still be dropped if its call ends first). */
      type: "tool.filler";
      callId: string;
      tool: string;
      /** `approval`: said while waiting for a decision; `run`: said while the tool runs. */
      phase: "approval" | "run";
      /** The line said verbatim, or undefined when the model generates it. */
      line: string | undefined;
      source: "progress" | "line" | "generated";
      at: number;
    }
  | {
      type: "tool.output";
      callId: string;
      tool: string;
      state: CallState;
      output: string;
      /** From the call's arrival to its output (approval and queue included). Set by the ToolScheduler. */
      ms?: number;
      at: number;
    }
  | {
      type: "approval.requested";
      callId: string;
      tool: string;
      kind: "function" | "mcp";
      approver: string;
      arguments: unknown;
      /** Why approval is needed (the rule that matched). */
      reason: string;
      at: number;
    }
  | {
      type: "approval.decided";
      callId: string;
      tool: string;
      kind: "function" | "mcp";
      approved: boolean;
      approver: string;
      reason: string | undefined;
      at: number;
    };

export type SchedulerEventType = SchedulerEvent["type"];
