import type { WebSocket } from "ws";
import { realClock } from "./clock.ts";
import { Connection } from "./connection.ts";
import { rulesModel } from "./models/rules.ts";
import { DEFAULT_AUDIO_PACE, type LocalRealtimeOptions } from "./server.ts";

/**
 * The server side of an in-process socket: what `memoryTransportPair().server` (`@parley/core/testing`) is. The
 * subset of a `ws` server socket a connection uses.
 */
export interface InMemorySocket {
  readonly OPEN: number;
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  terminate(): void;
  on(event: "message" | "close" | "error", fn: (...args: never[]) => void): unknown;
}

let connections = 0;

/**
 * Runs one local Realtime session (the same protocol and model as `startLocalRealtime`) on an in-process socket,
 * without a port: for fast unit tests. End-to-end tests keep the real server on loopback.
 *
 * @example
 * const { client, server } = memoryTransportPair();
 * acceptInMemory(server, { pace: 0, model: scriptedModel(script) });
 * const session = await startSession({ agent, transport: client });
 */
export function acceptInMemory(
  socket: InMemorySocket,
  options: Pick<
    LocalRealtimeOptions,
    "model" | "modelName" | "pace" | "audioPace" | "today" | "faults" | "onServerEvent" | "clock"
  > = {},
): { close(): void } {
  const faults = options.faults ?? {};
  // A Connection only uses on/send/close/terminate/readyState of its socket, which InMemorySocket has.
  const connection = new Connection(socket as unknown as WebSocket, ++connections, {
    model: options.model ?? rulesModel(),
    modelName: options.modelName ?? "gpt-realtime",
    pace: options.pace ?? 1,
    audioPace: options.audioPace ?? DEFAULT_AUDIO_PACE,
    today: options.today,
    faults: () => faults,
    clock: options.clock ?? realClock,
    onServerEvent: options.onServerEvent,
  });
  return {
    close() {
      socket.terminate();
      connection.dispose();
    },
  };
}
