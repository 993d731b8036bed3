// The three clients of the peer benchmark, behind one shape: connect and configure (until session.updated), a text
// turn (user text → response.done), a tool turn (user text → function call → output → the answer's response.done),
// close. Each runs the same agent: Parley loads the file; the raw client sends Parley's compiled session.update and
// runs the same tool itself; the agents SDK gets a RealtimeAgent with the same instructions and tool.
// By package name: Parley runs from its built dist here (peers.bench.ts), as an installed package would. The peers'
// libraries are imported by their own driver only: each child process loads what its client needs (a child's start
// is a good part of the bench's time on a busy machine).
import { type LoadedAgent, startSession } from "@parley/core";
import { createClockTools } from "@parley/tools/clock";
import type { RealtimeServerEvent, SessionUpdateEvent } from "openai/resources/realtime/realtime";

export interface PeerSession {
  textTurn(text: string): Promise<void>;
  /** One `current_time` call and its answer. */
  toolTurn(): Promise<void>;
  close(): Promise<void>;
}

export type Connect = () => Promise<PeerSession>;

export const TOOL_TURN_TEXT = "/call current_time {}";

/**
 * A text turn's words: a question the local server's rules model answers in words. (Asking what time something
 * is makes it call `current_time`: Parley and the agents SDK would then run a tool turn behind every "text" turn,
 * the raw client not; its driver now refuses such a response.)
 */
export const textTurnText = (i: number) => `Where can I leave my luggage on day ${i}?`;

// The peers run the handler Parley runs (the clock pack's current_time, the agent's options), so the tool turn
// differs only by the framework around it.
const [currentTime] = createClockTools({ timeZone: "Europe/Lisbon" });
const currentTimeOutput = async () =>
  JSON.stringify(await currentTime?.run({} as never, {} as never));
const KEY = "sk-local-bench";

export function parley(url: string, agent: LoadedAgent): Connect {
  return async () => {
    const s = await startSession({ agent, url, apiKey: KEY });
    const responses = (n: number) =>
      new Promise<void>((resolve) => {
        let left = n;
        const on = () => {
          if (--left > 0) return;
          s.off("response.done", on);
          resolve();
        };
        s.on("response.done", on);
      });
    return {
      async textTurn(text) {
        const done = responses(1);
        s.sendText(text);
        await done;
      },
      async toolTurn() {
        const done = responses(2);
        s.sendText(TOOL_TURN_TEXT);
        await done;
      },
      // A method, as the other drivers' close: under tsx (keepNames) an arrow here gets its own `name` property
      // store (256 B per held session) that is the bench's, not Parley's.
      close() {
        return s.close();
      },
    };
  };
}

export async function raw(url: string, update: SessionUpdateEvent): Promise<Connect> {
  const { default: OpenAI } = await import("openai");
  const { OpenAIRealtimeWS } = await import("openai/realtime/ws");
  const port = new URL(url).port;
  // The openai client dials wss:// only: the local server runs with TLS (its CA in NODE_EXTRA_CA_CERTS).
  const client = new OpenAI({ apiKey: KEY, baseURL: `https://127.0.0.1:${port}/v1` });
  return async () => {
    const rt = new OpenAIRealtimeWS({ model: "gpt-realtime" }, client);
    await new Promise<void>((resolve, reject) => {
      rt.socket.once("open", () => resolve());
      rt.socket.once("error", reject);
    });
    await new Promise<void>((resolve) => {
      const on = (e: RealtimeServerEvent) => {
        if (e.type !== "session.updated") return;
        rt.off("event", on);
        resolve();
      };
      rt.on("event", on);
      rt.send(update);
    });
    const nextDone = () =>
      new Promise<RealtimeServerEvent & { type: "response.done" }>((resolve) => {
        const on = (e: RealtimeServerEvent) => {
          if (e.type !== "response.done") return;
          rt.off("event", on);
          resolve(e);
        };
        rt.on("event", on);
      });
    const say = (text: string) => {
      rt.send({
        type: "conversation.item.create",
        item: { type: "message", role: "user", content: [{ type: "input_text", text }] },
      });
      rt.send({ type: "response.create" });
    };
    return {
      async textTurn(text) {
        const done = nextDone();
        say(text);
        const r = await done;
        if ((r.response.output ?? []).some((item) => item.type === "function_call"))
          throw new Error(`a function call in the text turn ${r.response.id}`);
      },
      async toolTurn() {
        const first = nextDone();
        say(TOOL_TURN_TEXT);
        const r = await first;
        const calls = (r.response.output ?? []).flatMap((item) =>
          item.type === "function_call" ? [item] : [],
        );
        // A response without the call would make this a second text turn, not a tool turn.
        if (calls.length === 0) throw new Error(`no function call in ${r.response.id}`);
        const answer = nextDone();
        for (const item of calls) {
          rt.send({
            type: "conversation.item.create",
            item: {
              type: "function_call_output",
              call_id: item.call_id ?? "",
              output: await currentTimeOutput(),
            },
          });
        }
        rt.send({ type: "response.create" });
        await answer;
      },
      async close() {
        await new Promise<void>((resolve) => {
          rt.socket.once("close", () => resolve());
          rt.close();
        });
      },
    };
  };
}

export async function agentsSdk(url: string, instructions: string): Promise<Connect> {
  const { RealtimeAgent, RealtimeSession, tool } = await import("@openai/agents-realtime");
  const { z } = await import("zod");
  const currentTime = tool({
    name: "current_time",
    description: "The current date and time.",
    parameters: z.object({}),
    execute: currentTimeOutput,
  });
  const agent = new RealtimeAgent({ name: "peer-concierge", instructions, tools: [currentTime] });
  return async () => {
    const session = new RealtimeSession(agent, { transport: "websocket", model: "gpt-realtime" });
    const configured = new Promise<void>((resolve) => {
      const on = (e: { type: string }) => {
        if (e.type !== "session.updated") return;
        session.transport.off("*", on);
        resolve();
      };
      session.transport.on("*", on);
    });
    const withModel = new URL(url);
    withModel.searchParams.set("model", "gpt-realtime");
    await session.connect({ apiKey: KEY, url: withModel.toString() });
    await configured;
    const responses = (n: number) =>
      new Promise<void>((resolve) => {
        let left = n;
        const on = () => {
          if (--left > 0) return;
          session.transport.off("turn_done", on);
          resolve();
        };
        session.transport.on("turn_done", on);
      });
    return {
      async textTurn(text) {
        const done = responses(1);
        session.sendMessage(text);
        await done;
      },
      async toolTurn() {
        const done = responses(2);
        session.sendMessage(TOOL_TURN_TEXT);
        await done;
      },
      async close() {
        session.close();
      },
    };
  };
}
