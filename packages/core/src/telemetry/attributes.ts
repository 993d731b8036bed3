import type { Attributes } from "@opentelemetry/api";
/**
 * Attribute names on Parley's spans and metrics. Where the OpenTelemetry GenAI / MCP semantic conventions name a
 * thing they are used as is (status Development: `gen_ai.provider.name` replaced `gen_ai.system`, which is still
 * written beside it for backends that read only the old name); what they do not cover is under `parley.`.
 */
export const GenAi = {
  operationName: "gen_ai.operation.name",
  providerName: "gen_ai.provider.name",
  /** Deprecated by the conventions in favour of gen_ai.provider.name; kept for older backends. */
  system: "gen_ai.system",
  requestModel: "gen_ai.request.model",
  conversationId: "gen_ai.conversation.id",
  agentName: "gen_ai.agent.name",
  responseId: "gen_ai.response.id",
  finishReasons: "gen_ai.response.finish_reasons",
  inputTokens: "gen_ai.usage.input_tokens",
  outputTokens: "gen_ai.usage.output_tokens",
  cachedInputTokens: "gen_ai.usage.cache_read.input_tokens",
  toolName: "gen_ai.tool.name",
  toolCallId: "gen_ai.tool.call.id",
  toolType: "gen_ai.tool.type",
  toolArguments: "gen_ai.tool.call.arguments",
  toolResult: "gen_ai.tool.call.result",
  tokenType: "gen_ai.token.type",
  errorType: "error.type",
  mcpMethod: "mcp.method.name",
} as const;

/** Parley's own attributes (no convention covers them). */
export const Parley = {
  agent: "parley.agent",
  transport: "parley.transport",
  closeReason: "parley.session.close_reason",
  costUsd: "parley.cost_usd",
  turn: "parley.turn.number",
  firstAudioMs: "parley.turn.first_audio_ms",
  firstAnswerMs: "parley.turn.first_answer_ms",
  fillerFirst: "parley.turn.filler_first",
  superseded: "parley.turn.superseded",
  responseKind: "parley.response.kind",
  responseOrigin: "parley.response.origin",
  outOfBand: "parley.response.out_of_band",
  responseStatus: "parley.response.status",
  firstOutputMs: "parley.response.first_output_ms",
  outcome: "parley.tool.outcome",
  toolMs: "parley.tool.ms",
  approvalMs: "parley.tool.approval_ms",
  queueMs: "parley.tool.queue_ms",
  runMs: "parley.tool.run_ms",
  outputChars: "parley.tool.output_chars",
  approver: "parley.approval.approver",
  approved: "parley.approval.approved",
  approvalReason: "parley.approval.reason",
  mcpServer: "parley.mcp.server",
  mcpSide: "parley.mcp.side",
  phase: "parley.phase",
} as const;

/** The provider every Parley session talks to (the Realtime API, or a local server speaking its protocol). */
export const PROVIDER = "openai";

/** The attributes the GenAI metrics require on every record (`gen_ai.client.token.usage`, `…operation.duration`). */
export const GEN_AI_CHAT: Attributes = Object.freeze({
  [GenAi.operationName]: "chat",
  [GenAi.providerName]: PROVIDER,
});

/**
 * `base` with `extra` added, as a new object. Not `{ ...base, [key]: value }`: on Node 20's V8 an object made by a
 * spread and then given one more property leaves the fast path (~2 µs each, measured on the telemetry bench's
 * machine), while `Object.assign` into a fresh object stays at ~0.1 µs.
 */
export function withAttributes(base: Attributes, extra: Attributes): Attributes {
  return Object.assign({}, base, extra);
}

const NO_AGENT: Attributes = Object.freeze({});
const agentLabels = new Map<string, Attributes>();

/**
 * The labels every metric of a session of `agent` carries (`parley.agent`), one frozen object per agent name shared by
 * its sessions: the attribute sets built over it (LabelSets, the response shapes) are then shared too, so a new
 * session's records join the series the metrics already batch (RecordBatch knows a series by its object) and a Tally
 * finds its cell by object.
 */
export function sessionLabels(agent: string | undefined): Attributes {
  if (!agent) return NO_AGENT;
  let labels = agentLabels.get(agent);
  if (!labels) {
    if (agentLabels.size >= MAX_LABEL_SETS) agentLabels.clear();
    labels = Object.freeze({ [Parley.agent]: agent });
    agentLabels.set(agent, labels);
  }
  return labels;
}

/** Most label sets a LabelSets keeps before starting over (tool and model names are few; this bounds a surprise). */
const MAX_LABEL_SETS = 256;

/** The sets made over each session labels object (sessionLabels: one per agent), shared by every session of it. */
const setsByBase = new WeakMap<Attributes, Map<string, Attributes>>();

/**
 * Metric attribute sets made once and reused: a record per response or tool call then allocates nothing, and hands
 * the SDK the same object each time. `base` is the session's labels (its agent, one object per agent: see
 * sessionLabels); the sets are kept per base, so every session of an agent gets the same objects (a new session
 * builds none, and its records join series RecordBatch already batches). Keys are shared by every LabelSets over
 * the same base: each caller uses its own (`filler`/`direct`, `call\0…`).
 *
 * @example
 * const sets = new LabelSets(() => labels);
 * histogram.record(ms, sets.get(`${model}\0input`, () => ({ [GenAi.requestModel]: model, [GenAi.tokenType]: "input" })));
 */
export class LabelSets {
  #base: Attributes | undefined;
  #sets: Map<string, Attributes> | undefined;

  constructor(private readonly base: () => Attributes) {}

  /** The set named `key`: the base labels with `extra()` added (called only the first time). */
  get(key: string, extra: () => Attributes): Attributes {
    const base = this.base();
    let sets = this.#sets;
    if (base !== this.#base || !sets) {
      this.#base = base;
      sets = setsByBase.get(base);
      if (!sets) {
        sets = new Map();
        setsByBase.set(base, sets);
      }
      this.#sets = sets;
    }
    let set = sets.get(key);
    if (!set) {
      if (sets.size >= MAX_LABEL_SETS) sets.clear();
      set = Object.freeze(withAttributes(base, extra()));
      sets.set(key, set);
    }
    return set;
  }
}
