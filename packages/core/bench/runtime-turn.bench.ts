// Text turn latency on loopback: Parley's runtime against the official `openai` realtime client
// (OpenAIRealtimeWS), same local server (its own process, TLS since the official client only dials wss://), same
// run, turns interleaved. A turn is: send the user's text, ask for a response, until `response.done`.
// The figure is the ratio of Parley's latency to the official client's (1.00 = no added latency). Parley runs the
// peer agent (tools, scheduler), started from the agent itself; the official client sends its compiled update.
import OpenAI from "openai";
import { OpenAIRealtimeWS } from "openai/realtime/ws";
import type { RealtimeServerEvent } from "openai/resources/realtime/realtime";
import { median, percentile, report } from "../../../bench/stats.ts";
import { verdict } from "../../../bench/verdict.ts";
import { compileSession } from "../src/compile/index.ts";
import { loadAgent } from "../src/load/index.ts";
import { startSession } from "../src/runtime/start-session.ts";
import { serverProcess } from "./runtime-support.ts";

const agent = await loadAgent(new URL("./fixtures/peer.agent.yaml", import.meta.url).pathname);
const update = compileSession(agent);
const server = await serverProcess({ tls: true });
const ca = server.certificate;
const port = new URL(server.url).port;

// Parley
const session = await startSession({
  agent,
  url: server.url,
  apiKey: "sk-local-bench",
  ws: { ca },
});
const parleyTurn = async (text: string): Promise<number> => {
  const t0 = performance.now();
  const done = new Promise<void>((resolve) => session.once("response.done", () => resolve()));
  session.sendText(text);
  await done;
  return performance.now() - t0;
};

// The official client
const client = new OpenAI({ apiKey: "sk-local-bench", baseURL: `https://127.0.0.1:${port}/v1` });
const rt = new OpenAIRealtimeWS({ model: "gpt-realtime", options: { ca } }, client);
await new Promise<void>((resolve, reject) => {
  rt.socket.once("open", () => resolve());
  rt.socket.once("error", reject);
});
await new Promise<void>((resolve) => {
  rt.on("session.updated", () => resolve());
  rt.send(update);
});
const officialTurn = async (text: string): Promise<number> => {
  const t0 = performance.now();
  const done = new Promise<void>((resolve) => {
    const on = (e: RealtimeServerEvent) => {
      if (e.type !== "response.done") return;
      rt.off("event", on);
      resolve();
    };
    rt.on("event", on);
  });
  rt.send({
    type: "conversation.item.create",
    item: { type: "message", role: "user", content: [{ type: "input_text", text }] },
  });
  rt.send({ type: "response.create" });
  await done;
  return performance.now() - t0;
};

const turns = Number(process.env.PARLEY_BENCH_TURNS ?? 150);
const ours: number[] = [];
const theirs: number[] = [];
for (let i = 0; i < turns + 20; i++) {
  // Words the rules model answers in words (asking the time makes it call current_time: Parley would then run a
  // tool turn behind each text turn, the official client not; see peers/drivers.ts textTurnText).
  const text = `Where can I leave my luggage on day ${i}?`;
  // Alternate who goes first so neither always gets the warmer path.
  const [a, b] = i % 2 ? [await parleyTurn(text), await officialTurn(text)] : [0, 0];
  const [c, d] = i % 2 ? [0, 0] : [await officialTurn(text), await parleyTurn(text)];
  if (i < 20) continue; // warm-up
  ours.push(i % 2 ? a : d);
  theirs.push(i % 2 ? b : c);
}
report("text turn, parley runtime", ours, "ms");
report("text turn, official openai client", theirs, "ms");
const med = median;
const p99 = (x: number[]) => percentile(x, 99);
process.stdout.write(
  `text turn latency ratio parley/official: median ${(med(ours) / med(theirs)).toFixed(2)}, p99 ${(p99(ours) / p99(theirs)).toFixed(2)} (x)\n`,
);
verdict("text turn latency ratio parley/official, median", med(ours) / med(theirs), "x", {
  max: 1.2,
});
await session.close();
rt.close();
await server.stop();
process.exit(0);
