export { DEFAULT_KEEPALIVE, type KeepaliveOptions } from "./keepalive.ts";
export { type MemoryPeer, memoryTransportPair } from "./memory-transport.ts";
export { readCapped } from "./read-capped.ts";
export {
  closeDetail,
  type Transport,
  type TransportClose,
  type TransportFactory,
  type TransportListener,
} from "./transport.ts";
export { type WsTransportOptions, wsTransport } from "./ws-transport.ts";
