export { agentSchema, personaSchema, type AgentConfig, type AgentConfigInput } from "./agent.ts";
export { approvalPolicySchema, approvalSchema, type ApprovalPolicy, type ApprovalRule } from "./approval.ts";
export { AUDIO_FORMATS, audioSchema, turnDetectionSchema, type AudioConfig } from "./audio.ts";
export { DURATION_HINT, durationSchema, parseDuration, type Duration } from "./duration.ts";
export { fillerSchema, toolFillerSchema, type FillerConfig } from "./filler.ts";
export { MCP_CONNECTORS, mcpServerSchema, type McpServerConfig } from "./mcp.ts";
export {
  inlineToolSchema,
  packToolOverrideSchema,
  packUseSchema,
  parametersSchema,
  TOOL_NAME,
  toolEntrySchema,
  toolExampleSchema,
  type InlineToolConfig,
  type PackUseConfig,
  type ToolEntryConfig,
} from "./tools.ts";
export { VOICES, voiceSchema, type VoiceName } from "./voice.ts";
export { agentJsonSchema } from "./json-schema.ts";
