// How many sessions streaming audio at real-time pace one server process carries before falling behind.
// Clients run in a second process. Each session is full duplex: it streams microphone audio (100 ms every 100 ms,
// decoded and run through VAD by the server) while receiving the model's audio, and measures when every audio
// delta arrives against the real-time schedule (chunk k due k × 100 ms after the client's response.create: the
// start-up delay is in every chunk's lateness; the server sends audio 4× faster than it plays, as the API does).
// A level "keeps up" when p99 lateness stays under 100 ms (one chunk: a client with a 100 ms jitter buffer
// would not underrun) and the server's event-loop delay p99 stays under 100 ms. Bounded: ~6 s per level.
// `pnpm bench parley-audio-sessions` runs this too, beside the same count for Parley sessions.
import { percentile, report } from "../../../bench/stats.ts";
import { interval } from "../../../bench/verdict.ts";
import { startWindow, type WindowFigures } from "../../../bench/window.ts";
import { startLocalRealtime } from "../src/index.ts";
import { runClients } from "./run-clients.ts";

const LEVELS = (process.env.PARLEY_BENCH_AUDIO_LEVELS ?? "100,250,500,750,1000")
  .split(",")
  .map(Number);
const server = await startLocalRealtime({ pace: 1 });
interval(
  "each level: N plain ws clients (another process) asking for 7.2 s answers back to back while streaming 100 ms " +
    "of silence every 100 ms; lateness of every audio delta against its response.create + k × 100 ms, over 3 s " +
    "after a 1 s start; the server's event-loop delay and CPU over the same 3 s",
);
let carried = 0;
// Sessions one core could carry by CPU alone (100 % / CPU per session), per level: a projection that does not
// depend on what else the machine runs, reported beside the measured count.
const projected: number[] = [];
for (const sessions of LEVELS) {
  // Event-loop delay and CPU during the measuring window only (not while sessions connect).
  let window: ReturnType<typeof startWindow> | undefined;
  let figures: WindowFigures | undefined;
  const result = await runClients(server.url, "audio", sessions, 3, (phase) => {
    if (phase === "measuring") window = startWindow();
    else figures = window?.stop();
  });
  const loopP50 = figures?.loopP50Ms ?? Number.NaN;
  const loopP99 = figures?.loopP99Ms ?? Number.NaN;
  const busy = figures ? figures.cpuMs / figures.wallMs : 0;
  report(`audio delta lateness at ${sessions} sessions`, result.lateness, "ms");
  process.stdout.write(
    `server event-loop delay at ${sessions} sessions: median ${loopP50.toFixed(1)}, p99 ${loopP99.toFixed(1)} (ms)\n`,
  );
  process.stdout.write(
    `server CPU at ${sessions} sessions: median ${Math.round(busy * 100)}, p99 ${Math.round(busy * 100)} (% of one core)\n`,
  );
  if (busy > 0) projected.push(Math.floor(sessions / busy));
  while (server.sessions > 0) await new Promise((r) => setTimeout(r, 50));
  if (result.ready < sessions || percentile(result.lateness, 99) >= 100 || loopP99 >= 100) break;
  carried = sessions;
}
process.stdout.write(
  `concurrent real-time audio sessions kept up: median ${carried}, p99 ${carried} (sessions)\n`,
);
report(
  "sessions one core carries by CPU (projection from the levels above)",
  projected,
  "sessions",
);
await server.close();
