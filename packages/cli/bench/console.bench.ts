// `pnpm bench console`: what the browser console adds to a voice conversation, and how fast its page loads.
// - Mouth-to-ear overhead: the time Parley (console server + session runtime) holds audio between the page's socket
//   and the Realtime socket, both ways. A relay on the Realtime side (the local server behind it) timestamps frames
//   as they cross that socket; a page client on the console's socket timestamps its own frames. Uplink: the page
//   sends a 20 ms microphone frame → its `input_audio_buffer.append` reaches the Realtime socket. Downlink: a
//   `response.output_audio.delta` arrives at the Realtime socket → its audio frame reaches the page. Frames are
//   matched in order (Parley neither drops nor reorders audio); one clock, one process.
// - Page load: navigation start → the page connected and the session drawn (its hello and the replay of the
//   conversation so far applied and rendered: the page's `parley:drawn` mark), read on the page's own clock, in
//   headless Chromium, a fresh browser context each time (nothing cached). The page is opened once the audio above is
//   over: nothing else runs meanwhile, so the figure is the page's, not the relay's.
import type { AddressInfo } from "node:net";
import { startLocalRealtime } from "@parley/local-realtime";
import WebSocket, { WebSocketServer } from "ws";
import { median, quantile } from "../../../bench/stats.ts";
import { figure, interval, verdict } from "../../../bench/verdict.ts";
import { type ConsoleHandle, startConsole } from "../src/console/start-console.ts";
import { launchChromium } from "../test/helpers/chromium.ts";
import { CONSOLE_FIXTURES } from "../test/helpers/console-browser.ts";

const quick = process.env.PARLEY_BENCH_QUICK === "1";
const FRAMES = quick ? 100 : 300;
const TURNS = quick ? 5 : 15;
const LOADS = quick ? 4 : 12;

/** The page's load timeline (ms from navigation start): its marks, set by console/connection.ts and app.tsx. */
interface PageTimeline {
  domContentLoaded: number;
  socketOpen: number;
  hello: number;
  drawn: number;
  lines: number;
}

/** Runs in the page (no helper functions inside: tsx would name them with a `__name` the page lacks). */
function readTimeline(): PageTimeline {
  const navigation = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
  return {
    domContentLoaded: navigation.domContentLoadedEventEnd,
    socketOpen: performance.getEntriesByName("parley:socket-open")[0]?.startTime ?? Number.NaN,
    hello: performance.getEntriesByName("parley:hello")[0]?.startTime ?? Number.NaN,
    drawn: performance.getEntriesByName("parley:drawn")[0]?.startTime ?? Number.NaN,
    lines: document.querySelectorAll('[data-testid="transcript-line"]').length,
  };
}

/** A WebSocket relay in front of the local server that records when each audio frame crosses it. */
async function startRelay(target: string) {
  const appended: number[] = [];
  const deltas: number[] = [];
  const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  wss.on("connection", (client, request) => {
    const upstream = new WebSocket(
      `${target}${request.url?.replace(/^\/v1\/realtime/, "") ?? ""}`,
      {
        headers: { authorization: String(request.headers.authorization ?? "") },
      },
    );
    const pending: string[] = [];
    upstream.on("open", () => {
      for (const m of pending.splice(0)) upstream.send(m);
    });
    client.on("message", (data) => {
      const text = String(data);
      if (text.includes('"input_audio_buffer.append"')) appended.push(performance.now());
      if (upstream.readyState === WebSocket.OPEN) upstream.send(text);
      else pending.push(text);
    });
    upstream.on("message", (data) => {
      const text = String(data);
      if (text.includes('"response.output_audio.delta"')) deltas.push(performance.now());
      client.send(text);
    });
    client.on("close", () => upstream.close());
    upstream.on("close", () => client.close());
  });
  await new Promise((resolve) => wss.once("listening", resolve));
  const { port } = wss.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/v1/realtime`,
    appended,
    deltas,
    close: () => new Promise((resolve) => wss.close(resolve)),
  };
}

/** The console page's socket, timestamping binary frames (agent audio) and waiting for events by type. */
async function pageSocket(pageUrl: string) {
  const url = new URL("ws", pageUrl);
  url.protocol = "ws:";
  const ws = new WebSocket(url);
  const audio: number[] = [];
  const waiters: Array<{ type: string; resolve: () => void }> = [];
  ws.on("message", (data, binary) => {
    if (binary) return void audio.push(performance.now());
    const m = JSON.parse(String(data)) as { type: string; event?: { type: string } };
    const type = m.type === "event" ? m.event?.type : m.type;
    for (const w of waiters.splice(0)) {
      if (w.type === type) w.resolve();
      else waiters.push(w);
    }
  });
  await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
  return {
    ws,
    audio,
    next: (type: string) => new Promise<void>((resolve) => waiters.push({ type, resolve })),
  };
}

const local = await startLocalRealtime({ pace: 1 });
const relay = await startRelay(local.url);
let consoleRun: ConsoleHandle | undefined;
try {
  consoleRun = await startConsole(`${CONSOLE_FIXTURES}lobby.agent.yaml`, {
    pace: 1,
    url: relay.url,
    env: { ...process.env, OPENAI_API_KEY: "sk-bench-console" },
    watch: false,
  });
  const page = await pageSocket(consoleRun.url);

  // Uplink: quiet microphone frames (no turn starts), one every 20 ms as a page sends them.
  const sent: number[] = [];
  const frame = Buffer.alloc(960); // 20 ms of PCM16 at 24 kHz
  for (let i = 0; i < FRAMES; i++) {
    sent.push(performance.now());
    page.ws.send(frame);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  while (relay.appended.length < FRAMES) await new Promise((resolve) => setTimeout(resolve, 20));
  const uplink = sent.map((t, i) => (relay.appended[i] as number) - t);

  // Downlink: typed turns; every audio delta of every answer.
  const before = relay.deltas.length;
  const heardBefore = page.audio.length;
  for (let i = 0; i < TURNS; i++) {
    const done = page.next("response.done");
    page.ws.send(JSON.stringify({ type: "text", text: "hello there" }));
    await done;
  }
  while (page.audio.length - heardBefore < relay.deltas.length - before)
    await new Promise((resolve) => setTimeout(resolve, 20));
  const downlink = relay.deltas
    .slice(before)
    .map((t, i) => (page.audio[heardBefore + i] as number) - t);
  page.ws.close();

  interval("page socket ↔ Realtime socket, per 20 ms frame, both ways (uplink + downlink)");
  figure("uplink median", median(uplink), "ms");
  figure("uplink p99", quantile(uplink, 0.99), "ms");
  figure("downlink median", median(downlink), "ms");
  figure("downlink p99", quantile(downlink, 0.99), "ms");
  verdict("mouth-to-ear overhead median", median(uplink) + median(downlink), "ms", { max: 5 });
  verdict("mouth-to-ear overhead p99", quantile(uplink, 0.99) + quantile(downlink, 0.99), "ms", {
    max: 30,
  });

  // Page load in a real browser, on the page's own clock (Playwright's polling is not in the figure).
  const browser = await launchChromium();
  const timeline: PageTimeline[] = [];
  try {
    for (let i = 0; i < LOADS; i++) {
      const context = await browser.newContext();
      const tab = await context.newPage();
      await tab.goto(consoleRun.url);
      await tab.waitForFunction(() => performance.getEntriesByName("parley:drawn").length > 0);
      timeline.push(await tab.evaluate(readTimeline));
      await context.close();
    }
  } finally {
    await browser.close();
  }
  const loads = timeline.map((t) => t.drawn);
  interval(
    `navigation → connected with the session drawn (hello + the replay of ${TURNS} turns, ${timeline[0]?.lines} lines), page clock, headless Chromium, nothing cached`,
  );
  figure("page DOMContentLoaded median", median(timeline.map((t) => t.domContentLoaded)), "ms");
  figure("page socket open median", median(timeline.map((t) => t.socketOpen)), "ms");
  figure("page hello received median", median(timeline.map((t) => t.hello)), "ms");
  verdict("page load median", median(loads), "ms", { max: 1000 });
  verdict("page load p99", quantile(loads, 0.99), "ms", { max: 2500 });
} finally {
  await consoleRun?.close();
  await relay.close();
  await local.close();
}
