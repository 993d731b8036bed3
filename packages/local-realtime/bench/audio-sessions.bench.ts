// How many sessions streaming audio at real-time pace one server process carries before falling behind.
// Clients run in a second process; each measures when every audio delta arrives against the real-time schedule
// (chunk k due k × 100 ms after response.created). A level "keeps up" when p99 lateness stays under 100 ms
// (one chunk: a client with a 100 ms jitter buffer would not underrun). Bounded: at most ~6 s per level.
import { startLocalRealtime } from "../src/index.ts";
import { runClients } from "./run-clients.ts";
import { percentile, report } from "./stats.ts";

const LEVELS = (process.env.PARLEY_BENCH_AUDIO_LEVELS ?? "100,250,500,750,1000")
  .split(",")
  .map(Number);
const server = await startLocalRealtime({ pace: 1 });
let carried = 0;
for (const sessions of LEVELS) {
  const result = await runClients(server.url, "audio", sessions, 3);
  report(`audio delta lateness at ${sessions} sessions`, result.lateness, "ms");
  while (server.sessions > 0) await new Promise((r) => setTimeout(r, 50));
  if (result.ready < sessions || percentile(result.lateness, 99) >= 100) break;
  carried = sessions;
}
process.stdout.write(
  `concurrent real-time audio sessions kept up: median ${carried}, p99 ${carried} (sessions)\n`,
);
await server.close();
