// The public door of @parley/local-realtime.

export type { AudioFormat } from "./audio/formats.ts";
export {
  audioChunks,
  type SpeechAudioOptions,
  silenceAudio,
  speechAudio,
} from "./audio/speech-audio.ts";
export { toneSamples } from "./audio/tone-carrier.ts";
export { carriedTexts as transcriptsInAudio } from "./audio/transcripts.ts";
export type { CallEndReason, CallRecord, CallRegistry, CallState } from "./calls/registry.ts";
export {
  type CallAnswer,
  type CallLine,
  SimulatedCall,
  type SimulatedCallOptions,
} from "./calls/simulated-caller.ts";
export { newWebhookSecret, signWebhook } from "./calls/webhook-signature.ts";
export type { ServerClock } from "./clock.ts";
export { ConformanceError, LocalRealtimeError } from "./errors.ts";
export type { FaultOptions } from "./faults.ts";
export type { FlowDifference, TraceStep } from "./flows/compare.ts";
export type { Endpoint } from "./flows/probe.ts";
export {
  type ConformanceOptions,
  FLOWS as CONFORMANCE_FLOWS,
  type FlowResult,
  runConformance,
} from "./flows/run.ts";
export { acceptInMemory, type InMemorySocket } from "./in-memory.ts";
export { functionModelTool } from "./model-view.ts";
export { CONFIRMATION_FILLER, GENERIC_FILLER, rulesModel } from "./models/rules.ts";
export {
  type ScriptedModel,
  type ScriptedModelOptions,
  type ScriptMismatch,
  type ScriptProgress,
  type ScriptStep,
  type ScriptTurn,
  scriptedModel,
  toTurns,
} from "./models/scripted.ts";
export {
  defineModel,
  type ModelAction,
  type ModelContext,
  type ModelItem,
  type ModelTool,
  type RealtimeModel,
} from "./models/types.ts";
export { decodeScript, encodeScript, SCRIPT_PARAM } from "./models/url-script.ts";
export { type LocalRealtime, type LocalRealtimeOptions, startLocalRealtime } from "./server.ts";
export { selfSignedCertificate, type TlsCredentials } from "./tls.ts";
