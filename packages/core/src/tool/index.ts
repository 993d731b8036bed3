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
} from "./define-tool.ts";
