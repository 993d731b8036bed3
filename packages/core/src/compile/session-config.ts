import type {
  RealtimeAudioFormats,
  RealtimeSessionCreateRequest,
  RealtimeToolsConfigUnion,
} from "openai/resources/realtime/realtime";
import type { LoadedAgent } from "../load/load-agent.ts";
import { privateToolNames } from "../load/resolve-delegates.ts";
import type { AgentConfig } from "../schema/agent.ts";
import { isBridgedMcp } from "../schema/mcp.ts";
import { renderInstructions, templateScope, type VariableValues } from "./instructions.ts";
import { renderTemplate } from "./template.ts";
import { functionTool, handoffTool, mcpTool } from "./tools.ts";

export interface CompileOptions {
  /** Session values for the agent's declared variables (override the defaults). */
  variables?: VariableValues;
}

const FORMATS: Record<string, RealtimeAudioFormats> = {
  pcm16: { type: "audio/pcm", rate: 24000 },
  g711_ulaw: { type: "audio/pcmu" },
  g711_alaw: { type: "audio/pcma" },
};

/** Per loaded agent (a reload or a changed tool list is a new object): its tools do not depend on variables. */
const compiledTools = new WeakMap<LoadedAgent, readonly RealtimeToolsConfigUnion[]>();

/** The agent's tools as the API wants them, built once per loaded agent (setup stays flat in the tool count). */
function toolsOf(agent: LoadedAgent): readonly RealtimeToolsConfigUnion[] {
  let tools = compiledTools.get(agent);
  if (!tools) {
    // Tools a delegation keeps to itself (`private: true`) are the text model's, not the voice model's.
    const hidden = privateToolNames(agent.tools);
    tools = [
      ...agent.tools.filter((t) => !hidden.has(t.name)).map(functionTool),
      ...agent.handoffs.map(handoffTool),
      // Bridged servers (command:, bridge: true) are already function tools in agent.tools.
      ...(agent.config.mcp ?? []).filter((m) => !isBridgedMcp(m)).map(mcpTool),
    ];
    compiledTools.set(agent, tools);
  }
  return tools;
}

/** Milliseconds as the whole number the API wants. */
const ms = (value: number): number => Math.round(value);

/**
 * The GA realtime session config of an agent (what `session.update`, client secrets and SIP accept share).
 * Pure and deterministic: keys are written in a fixed order and nothing depends on time or randomness.
 */
export function compileSessionConfig(
  agent: LoadedAgent,
  options: CompileOptions = {},
): RealtimeSessionCreateRequest {
  const config = agent.config;
  const scope = templateScope(config, options.variables);
  const session: RealtimeSessionCreateRequest = { type: "realtime", model: config.model };
  const instructions = renderInstructions(config, scope);
  if (instructions) session.instructions = instructions;
  session.output_modalities = [config.output];
  const audio = compileAudio(config);
  if (audio) session.audio = audio;
  const tools = toolsOf(agent);
  if (tools.length) session.tools = [...tools];
  if (config.toolChoice) session.tool_choice = config.toolChoice;
  const limits = config.limits;
  if (limits?.maxOutputTokens !== undefined) session.max_output_tokens = limits.maxOutputTokens;
  if (limits?.truncation !== undefined) {
    const t = limits.truncation;
    session.truncation =
      typeof t === "string"
        ? t
        : {
            type: "retention_ratio",
            retention_ratio: t.retentionRatio,
            ...(t.postInstructionsTokens !== undefined
              ? { token_limits: { post_instructions: t.postInstructionsTokens } }
              : {}),
          };
  }
  if (config.prompt) {
    session.prompt = {
      id: config.prompt.id,
      ...(config.prompt.version ? { version: config.prompt.version } : {}),
      ...(config.prompt.variables ? { variables: config.prompt.variables } : {}),
    };
  }
  if (config.reasoning) session.reasoning = { effort: config.reasoning.effort };
  if (config.parallelToolCalls !== undefined)
    session.parallel_tool_calls = config.parallelToolCalls;
  const transcription = config.audio?.input?.transcription;
  if (transcription !== false && transcription?.logprobs)
    session.include = ["item.input_audio_transcription.logprobs"];
  if (config.tracing !== undefined) {
    const t = config.tracing;
    session.tracing =
      t === false
        ? null
        : t === "auto"
          ? "auto"
          : {
              ...(t.workflowName ? { workflow_name: t.workflowName } : {}),
              ...(t.groupId ? { group_id: t.groupId } : {}),
              ...(t.metadata ? { metadata: t.metadata } : {}),
            };
  }
  return session;
}

function compileAudio(config: AgentConfig): RealtimeSessionCreateRequest["audio"] {
  const input = config.audio?.input;
  const inputOut: NonNullable<NonNullable<RealtimeSessionCreateRequest["audio"]>["input"]> = {};
  if (input?.format) inputOut.format = FORMATS[input.format];
  if (input?.transcription) {
    const t = input.transcription;
    inputOut.transcription = {
      ...(t.model ? { model: t.model } : {}),
      ...(t.language ? { language: t.language } : {}),
      ...(t.prompt ? { prompt: t.prompt } : {}),
    };
  }
  if (input?.noiseReduction && input.noiseReduction !== "off")
    inputOut.noise_reduction = { type: input.noiseReduction };
  const td = input?.turnDetection;
  if (td === false) inputOut.turn_detection = null;
  else if (td?.type === "server_vad") {
    inputOut.turn_detection = {
      type: "server_vad",
      ...(td.threshold !== undefined ? { threshold: td.threshold } : {}),
      ...(td.prefixPadding !== undefined ? { prefix_padding_ms: ms(td.prefixPadding) } : {}),
      ...(td.silenceDuration !== undefined ? { silence_duration_ms: ms(td.silenceDuration) } : {}),
      ...(td.idleTimeout !== undefined ? { idle_timeout_ms: ms(td.idleTimeout) } : {}),
      ...(td.createResponse !== undefined ? { create_response: td.createResponse } : {}),
      ...(td.interruptResponse !== undefined ? { interrupt_response: td.interruptResponse } : {}),
    };
  } else if (td?.type === "semantic_vad") {
    inputOut.turn_detection = {
      type: "semantic_vad",
      ...(td.eagerness !== undefined ? { eagerness: td.eagerness } : {}),
      ...(td.createResponse !== undefined ? { create_response: td.createResponse } : {}),
      ...(td.interruptResponse !== undefined ? { interrupt_response: td.interruptResponse } : {}),
    };
  }
  const outputOut: NonNullable<NonNullable<RealtimeSessionCreateRequest["audio"]>["output"]> = {};
  if (config.audio?.output?.format) outputOut.format = FORMATS[config.audio.output.format];
  if (config.voice) {
    outputOut.voice = typeof config.voice === "string" ? config.voice : config.voice.name;
    if (typeof config.voice === "object" && config.voice.speed !== undefined)
      outputOut.speed = config.voice.speed;
  }
  const audio: NonNullable<RealtimeSessionCreateRequest["audio"]> = {};
  if (Object.keys(inputOut).length) audio.input = inputOut;
  if (Object.keys(outputOut).length) audio.output = outputOut;
  return Object.keys(audio).length ? audio : undefined;
}

/**
 * The agent's greeting with its variables filled (undefined when it has none): what the runtime asks the model
 * to say first.
 *
 * @example
 * renderGreeting(agent, { variables: { guest_name: "Ada" } }) // "Good evening, … How can I help, Ada?"
 */
export function renderGreeting(
  agent: LoadedAgent,
  options: CompileOptions = {},
): string | undefined {
  const greeting = agent.config.greeting;
  return greeting === undefined
    ? undefined
    : renderTemplate(greeting, templateScope(agent.config, options.variables));
}
