// @parley/core/testing: helpers for people testing agents and tools (virtual clock, recorders).

export {
  RecordingHost,
  RecordingQueue,
  type StartedResponse,
} from "../scheduler/test-support/recording-host.ts";
export { type MemoryPeer, memoryTransportPair } from "../transport/memory-transport.ts";
