import type { CallState } from "./call-state.ts";

/**
 * Tool lifecycle events for UIs (`agent dev`, traces). Arguments are already redacted.
 * Delivered through `SchedulerHost.emit`; a listener that throws never breaks the scheduler.
 */
export type SchedulerEvent =
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
