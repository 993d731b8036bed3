// The public door of @parley/local-realtime.
export { startLocalRealtime, type LocalRealtime, type LocalRealtimeOptions } from "./server.ts";
export { rulesModel, GENERIC_FILLER } from "./models/rules.ts";
export { defineModel, type ModelAction, type ModelContext, type ModelItem, type ModelTool, type RealtimeModel } from "./models/types.ts";
export { speechAudio, silenceAudio, audioChunks, type SpeechAudioOptions } from "./audio/speech-audio.ts";
export { extractTexts as transcriptsInAudio } from "./audio/carrier.ts";
export type { AudioFormat } from "./audio/formats.ts";
export type { FaultOptions } from "./faults.ts";
export { selfSignedCertificate, type TlsCredentials } from "./tls.ts";
export { LocalRealtimeError, ConformanceError } from "./errors.ts";
