export { type AgentConfig, type AgentConfigInput, agentSchema, personaSchema } from "./agent.ts";
export {
  type ApprovalPolicy,
  type ApprovalRule,
  approvalPolicySchema,
  approvalSchema,
} from "./approval.ts";
export { AUDIO_FORMATS, type AudioConfig, audioSchema, turnDetectionSchema } from "./audio.ts";
export { DURATION_HINT, type Duration, durationSchema, parseDuration } from "./duration.ts";
export { type FillerConfig, fillerSchema, toolFillerSchema } from "./filler.ts";
export { agentJsonSchema } from "./json-schema.ts";
export {
  bridgedToolOverrideSchema,
  isBridgedMcp,
  MCP_CONNECTORS,
  type McpServerConfig,
  mcpServerSchema,
} from "./mcp.ts";
export { type ReconnectConfig, reconnectSchema } from "./reconnect.ts";
export {
  type InlineToolConfig,
  inlineToolSchema,
  type PackUseConfig,
  packToolOverrideSchema,
  packUseSchema,
  parametersSchema,
  TOOL_NAME,
  type ToolEntryConfig,
  toolEntrySchema,
  toolExampleSchema,
} from "./tools.ts";
export { VOICES, type VoiceName, voiceSchema } from "./voice.ts";
