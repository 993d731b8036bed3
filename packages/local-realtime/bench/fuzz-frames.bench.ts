// `pnpm bench fuzz` (frames): 2,000 bad frames at full size (200,000-deep nesting, 2 MB strings, 200,000 fields…)
// sent to the real local server on loopback, each followed by `input_audio_buffer.clear`. Bar: every bad frame
// answered with an error event, none taking over 2 s, the fuzzing socket still open, a good client still served.
import fc from "fast-check";
import type { RealtimeServerEvent, ResponseDoneEvent } from "openai/resources/realtime/realtime";
import WebSocket from "ws";
import { startLocalRealtime } from "../src/index.ts";
import { badFrame, mustRefuse } from "../test/frame-mutations.ts";

const FRAMES = Number(process.env.PARLEY_FUZZ_FRAMES ?? 2000);
const HANG_MS = 2000;
type Json = RealtimeServerEvent;

async function client(
  url: string,
): Promise<{ ws: WebSocket; next: (type: string) => Promise<Json[]> }> {
  const ws = new WebSocket(`${url}?model=gpt-realtime`, { headers: { Authorization: "Bearer x" } });
  let seen: Json[] = [];
  let wake: (() => void) | undefined;
  ws.on("message", (data) => {
    seen.push(JSON.parse(String(data)) as Json);
    wake?.();
  });
  await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
  /** Every event up to and including the next one of `type`. */
  const next = async (type: string): Promise<Json[]> => {
    for (;;) {
      const at = seen.findIndex((e) => e.type === type);
      if (at >= 0) {
        const taken = seen.slice(0, at + 1);
        seen = seen.slice(at + 1);
        return taken;
      }
      if (ws.readyState !== ws.OPEN) throw new Error(`socket closed while waiting for ${type}`);
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  };
  return { ws, next };
}

const server = await startLocalRealtime({ pace: 0 });
const fuzzer = await client(server.url);
await fuzzer.next("session.created");
const good = await client(server.url);
await good.next("session.created");
const frames = fc
  .sample(badFrame(1), { numRuns: FRAMES * 2, seed: 2000 })
  .filter((f) => mustRefuse(f.frame))
  .slice(0, FRAMES);
const bad: string[] = [];
let slowest = 0;
const started = performance.now();
for (const { family, frame } of frames) {
  const start = performance.now();
  fuzzer.ws.send(frame);
  fuzzer.ws.send(JSON.stringify({ type: "input_audio_buffer.clear" }));
  const events = await fuzzer.next("input_audio_buffer.cleared");
  const ms = performance.now() - start;
  slowest = Math.max(slowest, ms);
  if (!events.some((e) => e.type === "error")) bad.push(`${family}: no error event`);
  if (ms > HANG_MS) bad.push(`${family}: ${Math.round(ms)} ms`);
}
good.ws.send(
  JSON.stringify({
    type: "conversation.item.create",
    item: { type: "message", role: "user", content: [{ type: "input_text", text: "hello" }] },
  }),
);
good.ws.send(
  JSON.stringify({ type: "response.create", response: { output_modalities: ["text"] } }),
);
const done = (await good.next("response.done")).at(-1) as ResponseDoneEvent;
if (done.response.status !== "completed") bad.push(`good client: response ${done.response.status}`);
if (fuzzer.ws.readyState !== fuzzer.ws.OPEN) bad.push("the fuzzing socket was closed");
const pass = bad.length === 0;
process.stdout.write(`fuzz frames, slowest answer: ${Math.round(slowest)} (ms)\n`);
process.stdout.write(
  `fuzz frames: ${frames.length} bad frames in ${Math.round((performance.now() - started) / 1000)} s, ${bad.length} over the bar (target 0: each answered with an error within ${HANG_MS} ms, server up) ${pass ? "PASS" : "FAIL"}\n`,
);
for (const line of bad.slice(0, 20)) process.stdout.write(`  ${line}\n`);
fuzzer.ws.terminate();
good.ws.terminate();
await server.close();
process.exitCode = pass ? 0 : 1;
