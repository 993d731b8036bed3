// A dropped connection in a real browser: the console page's socket is routed through Playwright (routeWebSocket),
// which lets the test cut it while the agent is speaking. The page reconnects by itself, says what it already has of
// the agent's audio, gets the rest, and keeps playing it.
import type { Browser, WebSocketRoute } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserSetup, launchChromium, pageErrors } from "../helpers/chromium.ts";
import { type ConsoleUnderTest, type Frame, startTestConsole } from "../helpers/console-browser.ts";

let browser: Browser;
let consoleRun: ConsoleUnderTest;

beforeAll(
  browserSetup(async () => {
    // Real-time pace: the answer is still streaming when the connection drops.
    [browser, consoleRun] = await Promise.all([launchChromium(), startTestConsole(1, "lobby")]);
  }),
  120_000,
);
afterAll(async () => {
  await browser?.close();
  await consoleRun?.close();
});

/** What one page socket carried: frames from Parley, and the page's own messages. */
interface Socket {
  url: URL;
  route: WebSocketRoute;
  received: Frame[];
  sent: Array<Record<string, unknown>>;
}

/** Bytes of agent audio for `itemId` in `frames` (binary frames after its `agent.audio` or `audio.resume`). */
function audioBytes(frames: Frame[], itemId: string): number {
  let item: unknown;
  let bytes = 0;
  for (const f of frames) {
    if (f.type === "event" && f.event?.type === "agent.audio") item = f.event.itemId;
    else if (f.type === "audio.resume") item = f.itemId;
    else if (f.type === "audio" && item === itemId) bytes += f.bytes as number;
  }
  return bytes;
}

describe("the console in a browser after a dropped connection", { timeout: 120_000 }, () => {
  it("reconnects, says what it has of the agent's audio, gets the rest and plays on", async () => {
    const page = await browser.newPage();
    const errors = pageErrors(page);
    const sockets: Socket[] = [];
    const waiters = new Set<() => void>();
    const until = (test: () => boolean) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (!test()) return;
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
        check();
      });
    await page.routeWebSocket(
      (url) => url.pathname.endsWith("/ws"),
      (route) => {
        const socket: Socket = { url: new URL(route.url()), route, received: [], sent: [] };
        sockets.push(socket);
        const server = route.connectToServer();
        server.onMessage((m) => {
          socket.received.push(
            typeof m === "string"
              ? (JSON.parse(m) as Frame)
              : { type: "audio", bytes: m.byteLength },
          );
          route.send(m);
          for (const wake of waiters) wake();
        });
        route.onMessage((m) => {
          if (typeof m === "string") socket.sent.push(JSON.parse(m) as Record<string, unknown>);
          server.send(m);
          for (const wake of waiters) wake();
        });
      },
    );
    await page.goto(consoleRun.handle.url);
    await page.locator('.console[data-connected="true"][data-session="open"]').waitFor();
    await page
      .getByTestId("text-input")
      .fill(
        "Could you tell me when the swimming pool and the gym open in the morning, how early breakfast is " +
          "served for a seven o'clock train, and whether parking is included in the price",
      );
    await page.getByTestId("send-button").click();

    // The answer starts playing in the page; then the connection drops.
    const first = sockets[0] as Socket;
    let item = "";
    await until(() => {
      const audio = first.received.find(
        (f) => f.type === "event" && f.event?.type === "agent.audio",
      );
      item = String(audio?.event?.itemId ?? "");
      return item !== "" && audioBytes(first.received, item) >= 9_600;
    });
    await until(() => first.sent.some((m) => m.type === "playback" && m.itemId === item));
    await first.route.close({ code: 4000, reason: "the test cuts the connection" });

    // The page comes back by itself and says how much of the answer it has.
    await until(() => sockets.length === 2);
    const again = sockets[1] as Socket;
    expect(again.url.searchParams.get("resume_item")).toBe(item);
    const had = Number(again.url.searchParams.get("resume_bytes"));
    expect(had).toBeGreaterThan(0);
    expect(had).toBeLessThanOrEqual(audioBytes(first.received, item));
    await page.locator('.console[data-connected="true"][data-session="open"]').waitFor();
    await until(() => again.received.some((f) => f.type === "audio.resume"));
    expect(again.received.find((f) => f.type === "audio.resume")).toMatchObject({
      itemId: item,
      offsetBytes: had,
    });

    // It plays on past what it had before the drop: the resumed audio is heard.
    await until(() =>
      again.sent.some(
        (m) =>
          m.type === "playback" && m.itemId === item && (m.playedMs as number) > had / 48 + 200,
      ),
    );
    // And byte for byte: what it had and what came after are the whole answer.
    await until(() =>
      again.received.some(
        (f) =>
          f.type === "event" && f.event?.type === "agent.audio.done" && f.event.itemId === item,
      ),
    );
    const log = await (await fetch(`${consoleRun.handle.url}events.jsonl`)).text();
    const total = log
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { type: string; itemId?: string; audioBytes?: number })
      .filter((e) => e.type === "agent.audio" && e.itemId === item)
      .reduce((sum, e) => sum + (e.audioBytes ?? 0), 0);
    expect(had + audioBytes(again.received, item)).toBe(total);
    expect(errors).toEqual([]);
  });
});
