// The public door of @parley/core: export by name exactly what users may import.
export { ParleyError, isParleyError, type SourceLocation } from "./errors/index.ts";
export { systemClock, VirtualClock, type Clock, type TimerHandle } from "./clock/index.ts";
export { redact, redactString, REDACTED } from "./log/redact.ts";
export {
  defineTool,
  type DurationInput,
  type JsonSchema,
  type ToolApprovalOption,
  type ToolContext,
  type ToolDefinition,
  type ToolExample,
  type ToolFillerOptions,
  type ToolLogger,
  type ToolOrigin,
} from "./tool/index.ts";
