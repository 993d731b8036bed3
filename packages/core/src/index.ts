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
export { instantiateToolPack, isToolPack, packFromModule, stampPackTools, ToolPackError, type AnyToolDefinition, type ToolPack, type ToolPackDefaults, type ToolPackEnv, type ToolPackFactory, type ToolPackOptionIssue } from "./tool/index.ts";
export { approvalSchema, durationSchema, fillerSchema, parseDuration, toolExampleSchema } from "./schema/index.ts";
export { bridgedToolOverrideSchema } from "./schema/index.ts";
export { agentSchema, agentJsonSchema, approvalPolicySchema, mcpServerSchema, VOICES, type AgentConfig, type AgentConfigInput, type ApprovalPolicy, type ApprovalRule, type FillerConfig, type McpServerConfig, type VoiceName } from "./schema/index.ts";
export { AgentFileError, closeAllAgents, formatProblems, loadAgent, type FileReader, type LoadAgentOptions, type LoadedAgent, type LoadedHandoff, type ModuleImporter, type Problem } from "./load/index.ts";
export { CompileError, compileClientSecretBody, compileSession, type CompiledSessionUpdate, compileSessionConfig, compileSipAcceptBody, describeTool, renderGreeting, renderTemplate, type ClientSecretOptions, type CompileOptions, type VariableValues } from "./compile/index.ts";
export { defineAgent, type AgentDefinition } from "./agent/index.ts";
// zod, re-exported so agent handler files use the same instance as the loader (no extra dependency in an agents folder).
export { z } from "zod";
export { ToolScheduler, IllegalCallTransitionError, DEFAULT_FILLER, DEFAULT_TOOL_TIMEOUT_MS, outputText, type ToolSchedulerOptions, type CallState, type CallErrorCode, type SchedulerEvent, type SchedulerEventType, type ApprovalFillerOptions, type CallHandler, type ResponseQueue, type ResponseRequest, type SchedulerHost } from "./scheduler/index.ts";
export { AuditLog, ApprovalCallbacks, ApprovalConditionError, ApprovalError, codeApprover, compileCondition, denyApprover, terminalApprover, webhookApprover, approvalQuestion, signedHeaders, verifySignature, DEFAULT_APPROVAL_TIMEOUT_MS, type ApprovalDecision, type ApprovalRequest, type Approver, type ApprovalSettings, type AuditEntry, type OnApproval, type TerminalPrompt, type WebhookApproverOptions, type WebhookApprovalPayload } from "./approval/index.ts";
export { startSession, Session, SessionError, RealtimeServerError, OPENAI_REALTIME_URL, type StartSessionOptions, type CallHandlerFactory, type SessionEvents, type SessionClosed, type SessionUsage, type TurnLatency, type CloseReason, type ResponseKind } from "./runtime/index.ts";
export { ConversationRecord, type ConversationEntry, type ConversationSnapshot, type LiveResponse, type ResponseOrigin, type RuntimeSettings, realtimeUrl, imageDataUrl, sniffImageType, DEFAULT_MAX_IMAGE_BYTES, type ImageSource } from "./runtime/index.ts";
export { AgentTools, schedulerOptionsFor } from "./scheduler/index.ts";
export type { HandoffEvent } from "./runtime/index.ts";
export { defaultPrices, pricesFor, priceUsage, countTokens, type ModelPrices, type PriceTable, type Cost, type TokenCounts } from "./pricing/index.ts";
export { createLogger, setLogSink, type Logger, type LogLevel, type LogRecord, type LogSink } from "./log/index.ts";
