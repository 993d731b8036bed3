import { describe, expect, it } from "vitest";
import type { PageSocket, Received } from "../../test/helpers/console-page.ts";
import { useConsoleRun } from "../../test/helpers/console-run.ts";

// The rules model says it back: about 13 s of speech, streamed in real time (pace 1).
const QUESTION =
  "Could you tell me when the swimming pool and the gym open in the morning, how early breakfast is " +
  "served for a seven o'clock train, and whether parking is included in the price";
const run = useConsoleRun("console");

/** The lobby agent at real-time pace; a page asks the long question once the session is open. */
async function asked(): Promise<PageSocket> {
  await run.start("lobby.agent.yaml", { pace: 1 });
  const page = await run.open();
  await page.waitFor(
    (m) => m.type === "session" || (m.type === "hello" && m.session.state === "open"),
  );
  return page;
}

/** Everything Parley sent `page` before this returns has arrived: a refused message's answer comes after it. */
async function settled(page: PageSocket): Promise<void> {
  const from = page.received.length;
  page.send({ type: "settle" });
  await page.waitFor((m) => m.type === "problem", from);
}

describe("the agent's audio after a dropped page connection", { timeout: 120_000 }, () => {
  it("resumes: the page says what it has, gets the rest of the answer, and nothing twice", async () => {
    const page = await asked();
    const watcher = await run.open(); // stays connected: it hears the whole answer
    page.send({ type: "text", text: QUESTION });
    const first = await page.event("agent.audio", 0, (e) => e.kind === "answer");
    const item = first.event.itemId;
    await page.waitFor((m) => m.type === "audio", first.at);
    page.drop();
    const had = page.audioBytes(item);
    expect(had).toBeGreaterThan(0);

    // The answer goes on while the page is away: the watcher hears more of it than the page had. (Counted in the
    // watcher's own frames, "3 more than at the drop" could be frames the page already had when the watcher lagged
    // behind it on a busy machine: nothing then to resume, and the test waited for an `audio.resume` never sent.)
    await watcher.waitFor(() => watcher.audioBytes(item) > had);
    const back = await run.open({ resume_item: item, resume_bytes: String(had) });
    const resumed = await back.waitFor(
      (m): m is Extract<Received, { type: "audio.resume" }> => m.type === "audio.resume",
    );
    expect(resumed.message).toMatchObject({ itemId: item, offsetBytes: had });
    expect(resumed.message.bytes).toBeGreaterThan(0);
    // Its audio is the very next frame.
    await back.waitFor(() => back.received.length > resumed.at + 1);
    expect(back.received[resumed.at + 1]).toEqual({
      type: "audio",
      bytes: resumed.message.bytes,
      after: "audio.resume",
    });

    // To the end: what the page had, the resumed part and the live rest are the whole answer, byte for byte.
    const done = await watcher.event("agent.audio.done", 0, (e) => e.itemId === item);
    expect(done.event.itemId).toBe(item);
    await settled(back);
    expect(had + back.audioBytes(item)).toBe(watcher.audioBytes(item));
    expect(watcher.audioBytes(item)).toBeGreaterThan(had + resumed.message.bytes);
  });

  it("a reloaded page (nothing to say) resumes from where a page last reported playing; an interrupted answer does not come back", async () => {
    const page = await asked();
    page.send({ type: "text", text: QUESTION });
    const first = await page.event("agent.audio", 0, (e) => e.kind === "answer");
    const item = first.event.itemId;
    await page.waitFor(() => page.audioBytes(item) >= 48_000);
    page.send({ type: "playback", itemId: item, playedMs: 600 });
    await settled(page);
    page.drop();

    const reloaded = await run.open();
    const resumed = await reloaded.waitFor(
      (m): m is Extract<Received, { type: "audio.resume" }> => m.type === "audio.resume",
    );
    // From 600 ms on (plus the time since the report, as the page kept playing), not from the start.
    expect(resumed.message.itemId).toBe(item);
    expect(resumed.message.offsetBytes).toBeGreaterThanOrEqual(600 * 48);
    expect(resumed.message.offsetBytes % 2).toBe(0);

    reloaded.send({ type: "interrupt", playedMs: 900 });
    await reloaded.event("interrupted", resumed.at, (e) => e.itemId === item);
    const after = await run.open({ resume_item: item, resume_bytes: "0" });
    await settled(after);
    expect(after.received.some((m) => m.type === "audio.resume")).toBe(false);
  });
});
