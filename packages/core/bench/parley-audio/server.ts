// The local Realtime server of the parley-audio-sessions bench, in its own process (forked with IPC), at real-time
// pace. It sends { url } once listening; then, per level, `{ measure: "start" }` opens a window over its event-loop
// delay and CPU and `{ measure: "stop" }` closes it and answers with the window's figures (so the server is judged
// by the same rule as in the server-only bench: its event-loop delay p99 under 100 ms). `{ drain: true }` answers
// once no session is left. It exits when the parent goes away (the IPC channel closes).
import { startLocalRealtime } from "@parley/local-realtime";
import { startWindow } from "../../../../bench/window.ts";

export interface ServerWindow {
  loopP50Ms: number;
  loopP99Ms: number;
  loopMaxMs: number;
  /** CPU (user + system) over the window, in % of one core. */
  cpuPercent: number;
}

export type ServerRequest = { measure: "start" | "stop" } | { drain: true };

const server = await startLocalRealtime({ port: 0, pace: 1 });
const send = (message: unknown) => process.send?.(message);
let measuring: ReturnType<typeof startWindow> | undefined;

process.on("message", async (message: ServerRequest) => {
  if ("drain" in message) {
    while (server.sessions > 0) await new Promise((r) => setTimeout(r, 50));
    send({ drained: true });
  } else if (message.measure === "start") {
    measuring = startWindow();
  } else if (measuring) {
    const { cpuMs, wallMs, loopP50Ms, loopP99Ms, loopMaxMs } = measuring.stop();
    const window: ServerWindow = {
      loopP50Ms,
      loopP99Ms,
      loopMaxMs,
      cpuPercent: (cpuMs / wallMs) * 100,
    };
    send({ window });
  }
});
process.on("disconnect", () => {
  void server.close().finally(() => process.exit(0));
});
send({ url: server.url });
