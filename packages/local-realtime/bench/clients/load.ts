// Load client for the benchmarks, run in its own process so the server's process measures only the server.
// argv: <url> <mode: idle|text|audio> <sessions> <seconds>. Writes one JSON line of results to stdout.
import WebSocket from "ws";

const [url, mode, sessionsArg, secondsArg] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
];
const sessions = Number(sessionsArg);
const seconds = Number(secondsArg);
const AUDIO_DELTA = Buffer.from('"response.output_audio.delta"');
const RESPONSE_CREATED = Buffer.from('"response.created"');
const RESPONSE_DONE = Buffer.from('"response.done"');
const SESSION_UPDATED = Buffer.from('"session.updated"');
const CHUNK_MS = 100;
// 120 characters → 7.2 s of audio: longer than a measurement window, so every session streams throughout.
const LINE =
  "This sentence is exactly long enough to keep a session streaming audio for the whole of the measuring window, no less!!";

const lateness: number[] = [];
// Per socket: how it asks for a response, and when it last did.
const asks = new Map<WebSocket, () => void>();
const lastAsk = new Map<WebSocket, number>();
const finals: Array<() => void> = [];

/**
 * Lateness of each audio delta against a real-time schedule that starts when the client asked for the response
 * (its response.create): chunk k is due k × 100 ms after the ask, so the start-up delay is in every chunk's
 * lateness. The server sends audio faster than real time (as the API does), so a healthy stream arrives early
 * (negative lateness) once it has started; a schedule starting at the earliest moment the arrivals allow would
 * count that head start as lateness.
 */
function settle(arrivals: number[], askedAt: number): void {
  arrivals.forEach((t, k) => {
    if (!Number.isNaN(t)) lateness.push(t - (askedAt + k * CHUNK_MS));
  });
  arrivals.length = 0;
}
let events = 0;
let ready = 0;
const sockets: WebSocket[] = [];
let measuring = mode !== "audio";

function open(): Promise<void> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url}?model=gpt-realtime`, {
      headers: { Authorization: "Bearer bench" },
      perMessageDeflate: false,
      // The instrument skips UTF-8 checks of what it receives (the server's output is checked in the tests).
      skipUTF8Validation: true,
    });
    sockets.push(ws);
    // Arrival times of this response's audio deltas (index = chunk number), and when it was asked for.
    let arrivals: number[] = [];
    let askedAt = 0;
    const ask = () => {
      lastAsk.set(ws, performance.now());
      ws.send(
        JSON.stringify({
          type: "response.create",
          response: { instructions: `Say exactly: "${LINE}"` },
        }),
      );
    };
    asks.set(ws, ask);
    ws.on("message", (data: Buffer) => {
      events++;
      if (data.indexOf(SESSION_UPDATED) >= 0) {
        ready++;
        resolve();
        return;
      }
      if (mode === "audio") {
        if (data.indexOf(RESPONSE_CREATED) >= 0) {
          settle(arrivals, askedAt);
          arrivals = [];
          askedAt = lastAsk.get(ws) ?? Number.NaN;
        } else if (data.indexOf(AUDIO_DELTA) >= 0) {
          arrivals.push(measuring ? performance.now() : Number.NaN);
        } else if (data.indexOf(RESPONSE_DONE) >= 0 && measuring) {
          ask();
        }
      } else if (mode === "text" && data.indexOf(RESPONSE_DONE) >= 0) {
        ws.send(
          JSON.stringify({
            type: "response.create",
            response: { instructions: `Say exactly: "${LINE}"` },
          }),
        );
      }
    });
    finals.push(() => settle(arrivals, askedAt));
    ws.once("open", () => {
      const output = mode === "audio" ? ["audio"] : ["text"];
      ws.send(
        JSON.stringify({
          type: "session.update",
          session: {
            type: "realtime",
            output_modalities: output,
            instructions: "You are a load test.",
          },
        }),
      );
    });
    ws.once("error", reject);
  });
}

for (let i = 0; i < sessions; i += 50)
  await Promise.all(Array.from({ length: Math.min(50, sessions - i) }, open));
process.stderr.write(`ready ${ready}\n`);
const t0 = performance.now();
// Sessions start speaking at random moments over the first second, as real calls do, not all in one tick.
for (const ws of sockets) {
  if (mode === "idle") continue;
  const create = asks.get(ws) as () => void;
  if (mode === "audio") setTimeout(create, Math.random() * 1000);
  else create();
}
const eventsAt0 = events;
// Audio: measure once every session has started. Arrivals before are kept as NaN (not timed), so a response
// that straddles the start keeps its chunk numbers and its schedule.
if (mode === "audio") {
  await new Promise((r) => setTimeout(r, 1000));
  measuring = true;
}
process.stderr.write("measuring\n");
// Audio is full duplex, as in a call: every session also streams its microphone (100 ms of quiet pcm16 every
// 100 ms, which the server decodes and runs VAD on) while it receives the model's audio.
const micChunk = JSON.stringify({
  type: "input_audio_buffer.append",
  audio: Buffer.alloc(4800).toString("base64"),
});
const mic =
  mode === "audio"
    ? setInterval(() => {
        for (const ws of sockets)
          if (ws.readyState === ws.OPEN) ws.send(micChunk, { binary: false });
      }, CHUNK_MS)
    : undefined;
const windowEvents: number[] = [];
let last = events;
const timer = setInterval(() => {
  windowEvents.push((events - last) * 4);
  last = events;
}, 250);
await new Promise((r) => setTimeout(r, seconds * 1000));
clearInterval(timer);
clearInterval(mic);
measuring = false;
process.stderr.write("measured\n");
for (const f of finals) f();
const elapsed = (performance.now() - t0) / 1000;
for (const ws of sockets) ws.terminate();
// Exit only once the (large) result line is flushed to the pipe.
process.stdout.write(
  `${JSON.stringify({ ready, lateness, windowEvents, eventsPerSecond: (events - eventsAt0) / elapsed })}\n`,
  () => process.exit(0),
);
