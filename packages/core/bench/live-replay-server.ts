// The sender of the live replay benches (bench/live-replay.ts), in its own process so its CPU is not counted as the
// client's: reads the recorded frames as one JSON line on stdin, serves a WebSocket on loopback, prints one JSON line
// { url }, then sends every frame as a text frame each time a client sends "go" (with fresh event ids:
// bench/fresh-event-ids.ts). Runs until stdin closes.
import { createInterface } from "node:readline";
import { WebSocketServer } from "ws";
import { freshEventIds } from "./fresh-event-ids.ts";

const lines = createInterface({ input: process.stdin });
const frames = (
  await new Promise<string[]>((resolve) =>
    lines.once("line", (line) => resolve(JSON.parse(line) as string[])),
  )
).map((frame) => Buffer.from(frame));
// Every connection takes turns with the others for the ids (a bench has one at a time).
const nextIds = freshEventIds(frames);
const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
await new Promise((resolve) => server.once("listening", resolve));
server.on("connection", (ws, request) => {
  // Anything else the client sends (a Session's own client events) is ignored, as a server would ignore it here.
  ws.on("message", (data, isBinary) => {
    if (isBinary || String(data) !== "go") return;
    // The round's frames in one write, so how they are split into the client's reads depends on their bytes, not on
    // how far the client had got when they came (which would make a slower mode read fewer, larger chunks).
    nextIds();
    request.socket.cork();
    for (const frame of frames) ws.send(frame, { binary: false });
    request.socket.uncork();
  });
});
const { port } = server.address() as { port: number };
process.stdout.write(`${JSON.stringify({ url: `ws://127.0.0.1:${port}` })}\n`);
// The parent's exit closes the pipe: the child never outlives a failed bench.
lines.once("close", () => process.exit(0));
