// The replay a late page gets is smaller than the stream it replaces, and draws the same page: the page's own reducer
// (console/state.ts) run over what a page saw live and over what a page opened afterwards got gives the same lines.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initialState, reduce } from "../../console/state.ts";
import { PageSocket, type Received } from "../../test/helpers/console-page.ts";
import type { ServerMessage } from "./protocol.ts";
import { type ConsoleHandle, startConsole } from "./start-console.ts";

const lobby = new URL("../../test/fixtures/console/lobby.agent.yaml", import.meta.url).pathname;
let handle: ConsoleHandle;

beforeAll(async () => {
  handle = await startConsole(lobby, {
    pace: 0,
    watch: false,
    env: { ...process.env, OPENAI_API_KEY: "" },
  });
});
afterAll(() => handle?.close());

/** The transcript lines a page shows after these messages (images and local errors aside). */
function linesOf(received: Received[]) {
  let state = initialState;
  for (const m of received)
    if (m.type !== "audio") state = reduce(state, { type: "server", message: m as ServerMessage });
  return state.lines.map(({ id, role, text, done, interrupted }) => ({
    id,
    role,
    text,
    done,
    interrupted,
  }));
}

describe("the replay for a late page", () => {
  it("folds transcript deltas into their done events and draws the same conversation", async () => {
    const live = await PageSocket.open(handle.url);
    for (const text of ["hello there", "what time is breakfast served on sunday morning"]) {
      const from = live.received.length;
      live.send({ type: "text", text });
      await live.event("response.done", from);
    }
    // What the replay covers (it never had the protocol events or the audio chunks).
    const replayable = live.received.filter(
      (m) =>
        m.type === "event" &&
        !["client.event", "server.event", "agent.audio"].includes(m.event.type),
    ).length;
    live.close();

    const late = await PageSocket.open(handle.url);
    const { message: hello } = await late.waitFor((m) => m.type === "hello");
    const count = (hello as { replay: number }).replay;
    await late.waitFor(() => late.received.filter((m) => m.type === "event").length >= count);
    late.close();

    expect(linesOf(late.received)).toEqual(linesOf(live.received));
    expect(linesOf(late.received).map((l) => l.role)).toEqual(["user", "agent", "user", "agent"]);
    // Most of a conversation's events are word-by-word deltas: one per item is left.
    const deltas = late.received.filter(
      (m) => m.type === "event" && m.event.type === "agent.transcript.delta",
    );
    expect(
      new Set(deltas.map((m) => m.type === "event" && "itemId" in m.event && m.event.itemId)).size,
    ).toBe(deltas.length);
    // Exactly the deltas after each item's first are gone.
    const liveDeltas = live.received.flatMap((m) =>
      m.type === "event" && m.event.type.endsWith(".transcript.delta") && "itemId" in m.event
        ? [m.event.itemId]
        : [],
    );
    expect(liveDeltas.length).toBeGreaterThan(new Set(liveDeltas).size);
    expect(count).toBe(replayable - liveDeltas.length + new Set(liveDeltas).size);
  });
});
