// A text turn end to end on loopback: user message + response.create → response.done, one client, pace 0.
import WebSocket from "ws";
import { report } from "../../../bench/stats.ts";
import { startLocalRealtime } from "../src/index.ts";

const TURNS = 300;
const server = await startLocalRealtime({ pace: 0 });
const ws = new WebSocket(`${server.url}?model=gpt-realtime`, {
  headers: { Authorization: "Bearer bench" },
});
const waiters = new Map<string, () => void>();
ws.on("message", (data) => {
  const event = JSON.parse(String(data)) as { type: string };
  waiters.get(event.type)?.();
});
const next = (type: string) => new Promise<void>((resolve) => waiters.set(type, resolve));

await next("session.created");
ws.send(
  JSON.stringify({
    type: "session.update",
    session: { type: "realtime", output_modalities: ["text"], instructions: "You are Ada." },
  }),
);
await next("session.updated");

const times: number[] = [];
for (let i = 0; i < TURNS + 20; i++) {
  const done = next("response.done");
  const t0 = performance.now();
  ws.send(
    JSON.stringify({
      type: "conversation.item.create",
      item: {
        type: "message",
        role: "user",
        content: [{ type: "input_text", text: `hello number ${i}` }],
      },
    }),
  );
  ws.send(JSON.stringify({ type: "response.create" }));
  await done;
  if (i >= 20) times.push(performance.now() - t0); // the first turns warm up the JIT
}
report("text turn end to end (loopback, pace 0)", times, "ms");
ws.terminate();
await server.close();
