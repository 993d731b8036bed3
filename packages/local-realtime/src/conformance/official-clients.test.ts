// The official clients complete real turns against the local server: the strongest check that it speaks the
// protocol they were written for. Every event the server sends is also validated (test/harness.ts).
import {
  OpenAIRealtimeWebSocket,
  RealtimeAgent,
  RealtimeSession,
  tool,
} from "@openai/agents-realtime";
import OpenAI from "openai";
import { OpenAIRealtimeWS } from "openai/realtime/ws";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { functionTool, startTestServer } from "../../test/harness.ts";
import { speechAudio } from "../audio/speech-audio.ts";

// biome-ignore lint/suspicious/noExplicitAny: tests read event fields loosely; the spec check is separate.
type Event = { type: string; [k: string]: any };
// biome-ignore lint/suspicious/noExplicitAny: history items are read loosely.
type Loose = any;

function collect(rt: OpenAIRealtimeWS): {
  events: Event[];
  next(type: string, where?: (e: Event) => boolean): Promise<Event>;
} {
  const events: Event[] = [];
  const waiters: Array<() => void> = [];
  rt.on("event", (e) => {
    events.push(e as Event);
    for (const w of waiters.splice(0)) w();
  });
  rt.on("error", () => undefined);
  let cursor = 0;
  return {
    events,
    async next(type, where = () => true) {
      for (;;) {
        for (let i = cursor; i < events.length; i++) {
          const e = events[i] as Event;
          if (e.type === type && where(e)) {
            cursor = i + 1;
            return e;
          }
        }
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
    },
  };
}

describe("the official openai client (OpenAIRealtimeWS over wss://)", () => {
  async function connect() {
    const server = await startTestServer({ tls: true });
    expect(server.url.startsWith("wss://")).toBe(true);
    const client = new OpenAI({ apiKey: "sk-local-test", baseURL: server.baseURL });
    // The generated certificate is trusted through the client's ws options (`ca`), no global setting needed.
    const rt = new OpenAIRealtimeWS(
      { model: "gpt-realtime", options: { ca: server.certificate } },
      client,
    );
    const log = collect(rt);
    await log.next("session.created");
    return { rt, log };
  }

  it("completes a text turn", async () => {
    const { rt, log } = await connect();
    rt.send({
      type: "session.update",
      session: { type: "realtime", output_modalities: ["text"], instructions: "You are Ada." },
    });
    await log.next("session.updated");
    rt.send({
      type: "conversation.item.create",
      item: { type: "message", role: "user", content: [{ type: "input_text", text: "Hello!" }] },
    });
    rt.send({ type: "response.create" });
    const done = await log.next("response.done");
    expect(done.response.status).toBe("completed");
    const text = log.events
      .filter((e) => e.type === "response.output_text.delta")
      .map((e) => e.delta)
      .join("");
    expect(text).toBe("Hello, this is Ada! How can I help you today?");
    rt.close();
  });

  it("completes a function-call turn", async () => {
    const { rt, log } = await connect();
    rt.send({
      type: "session.update",
      session: {
        type: "realtime",
        output_modalities: ["text"],
        tools: [
          functionTool("get_weather", "Current weather.", [
            ["what's the weather in Paris", { city: "Paris" }],
          ]) as never,
        ],
      },
    });
    await log.next("session.updated");
    rt.send({
      type: "conversation.item.create",
      item: {
        type: "message",
        role: "user",
        content: [{ type: "input_text", text: "What's the weather in Berlin?" }],
      },
    });
    rt.send({ type: "response.create" });
    const args = await log.next("response.function_call_arguments.done");
    expect(args).toMatchObject({ name: "get_weather", arguments: '{"city":"Berlin"}' });
    await log.next("response.done");
    rt.send({
      type: "conversation.item.create",
      item: {
        type: "function_call_output",
        call_id: args.call_id,
        output: JSON.stringify({ summary: "Sunny, 21°C" }),
      },
    });
    rt.send({ type: "response.create" });
    const done = await log.next("response.done");
    expect(done.response.output[0].content[0].text).toBe("Here's what I got: summary Sunny, 21°C.");
    rt.close();
  });
});

describe("@openai/agents-realtime RealtimeSession", () => {
  it("completes a turn with a tool call (reading items back with conversation.item.retrieve)", async () => {
    const server = await startTestServer();
    const received: string[] = [];
    const getWeather = tool({
      name: "get_weather",
      description:
        'Current weather for a city.\n\nExamples:\n- "what is the weather in Paris" → {"city":"Paris"}',
      parameters: z.object({ city: z.string() }),
      execute: async ({ city }) => {
        received.push(city);
        return JSON.stringify({ city, summary: "sunny" });
      },
    });
    const agent = new RealtimeAgent({
      name: "Ada",
      instructions: "You are Ada, a weather assistant.",
      tools: [getWeather],
    });
    const session = new RealtimeSession(agent, {
      transport: new OpenAIRealtimeWebSocket({ url: `${server.url}?model=gpt-realtime` }),
      model: "gpt-realtime",
      config: { outputModalities: ["text"] },
    });
    const errors: unknown[] = [];
    session.on("error", (e) => errors.push(e));
    const toolDone = new Promise<void>((resolve) => session.on("agent_tool_end", () => resolve()));
    await session.connect({ apiKey: "sk-local-test" });
    session.sendMessage("What is the weather in Rome?");
    await toolDone;
    const answer = await new Promise<string>((resolve) => {
      const check = () => {
        const last = session.history.at(-1) as Loose;
        if (last?.type === "message" && last.role === "assistant" && last.status === "completed")
          resolve(last.content.map((c: Loose) => c.text ?? c.transcript ?? "").join(""));
      };
      session.on("history_updated", check);
      check();
    });
    expect(received).toEqual(["Rome"]);
    expect(answer).toBe("Here's what I got: city Rome, summary sunny.");
    expect(
      session.history.some((i: Loose) => i.type === "function_call" && i.name === "get_weather"),
    ).toBe(true);
    expect(errors).toEqual([]);
    session.close();
  });

  it("completes a voice turn with a tool call: server VAD, transcription read back with conversation.item.retrieve", async () => {
    const sent: string[] = [];
    const server = await startTestServer({ onServerEvent: (e) => void sent.push(String(e.type)) });
    const getWeather = tool({
      name: "get_weather",
      description:
        'Current weather for a city.\n\nExamples:\n- "what is the weather in Paris" → {"city":"Paris"}',
      parameters: z.object({ city: z.string() }),
      execute: async ({ city }) => JSON.stringify({ city, summary: "windy" }),
    });
    const agent = new RealtimeAgent({
      name: "Ada",
      instructions: "You are Ada.",
      tools: [getWeather],
    });
    // The SDK's defaults: audio out, semantic VAD, input transcription on.
    const session = new RealtimeSession(agent, {
      transport: new OpenAIRealtimeWebSocket({ url: `${server.url}?model=gpt-realtime` }),
      model: "gpt-realtime",
    });
    const errors: unknown[] = [];
    session.on("error", (e) => errors.push(e));
    await session.connect({ apiKey: "sk-local-test" });
    const audio = speechAudio("What is the weather in Oslo?");
    session.sendAudio(
      audio.buffer.slice(audio.byteOffset, audio.byteOffset + audio.byteLength) as ArrayBuffer,
    );
    const answer = await new Promise<string>((resolve) => {
      session.on("history_updated", (history) => {
        const last = history.at(-1) as Loose;
        if (
          last?.type === "message" &&
          last.role === "assistant" &&
          last.status === "completed" &&
          last.content?.[0]?.transcript
        )
          resolve(last.content[0].transcript);
      });
    });
    expect(answer).toBe("Here's what I got: city Oslo, summary windy.");
    const user = session.history.find(
      (i: Loose) => i.type === "message" && i.role === "user",
    ) as Loose;
    expect(user.content[0].transcript).toBe("What is the weather in Oslo?");
    // The SDK reads the transcribed item back; its answer may land after the model's reply at pace 0 (and, on a
    // busy machine, well after it: the project's poll limit, not 2 s).
    await expect
      .poll(() => sent.filter((t) => !t.includes("delta")).join(" "))
      .toContain("conversation.item.retrieved");
    expect(errors).toEqual([]);
    session.close();
  });
});
