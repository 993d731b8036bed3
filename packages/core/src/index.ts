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
  type ToolSessionControl,
} from "./tool/index.ts";
export { instantiateToolPack, isToolPack, packFromModule, ToolPackError, type AnyToolDefinition, type ToolPack, type ToolPackDefaults, type ToolPackEnv, type ToolPackFactory, type ToolPackOptionIssue } from "./tool/index.ts";
export { approvalSchema, durationSchema, fillerSchema, parseDuration, toolExampleSchema } from "./schema/index.ts";
export { agentSchema, agentJsonSchema, approvalPolicySchema, mcpServerSchema, VOICES, type AgentConfig, type AgentConfigInput, type ApprovalPolicy, type ApprovalRule, type FillerConfig, type McpServerConfig, type VoiceName } from "./schema/index.ts";
export { AgentFileError, formatProblems, loadAgent, type FileReader, type LoadAgentOptions, type LoadedAgent, type LoadedHandoff, type ModuleImporter, type Problem } from "./load/index.ts";
export { CompileError, compileClientSecretBody, compileSession, compileSessionConfig, compileSipAcceptBody, describeTool, renderTemplate, type ClientSecretOptions, type CompileOptions, type VariableValues } from "./compile/index.ts";
export { defineAgent, type AgentDefinition } from "./agent/index.ts";
// zod, re-exported so agent handler files use the same instance as the loader (no extra dependency in an agents folder).
export { z } from "zod";
