export { AgentTools, schedulerOptionsFor } from "./agent-tools.ts";
export {
  type CallState,
  IllegalCallTransitionError,
  isTerminal,
  type TerminalCallState,
} from "./call-state.ts";
export { callFingerprint, type DuplicatePolicy } from "./duplicates.ts";
export type { SchedulerEvent, SchedulerEventType } from "./events.ts";
export {
  type ApprovalFillerOptions,
  DEFAULT_FILLER,
  type FillerPlan,
  pickLine,
  sayExactly,
} from "./filler-plan.ts";
export type { CallHandler, ResponseQueue, ResponseRequest, SchedulerHost } from "./host.ts";
export { type CallErrorCode, type CallOutcome, outputText } from "./outputs.ts";
export { DEFAULT_TOOL_TIMEOUT_MS } from "./prepare-tool.ts";
export { ToolScheduler, type ToolSchedulerOptions } from "./tool-scheduler.ts";
export {
  type ArgsCheck,
  type ArgsValidator,
  compileArgsValidator,
  parametersJsonSchema,
} from "./validate-args.ts";
