import { sayExactly } from "../../../core/src/contracts/fillers.ts";
import { audioChunks, silenceAudio, speechAudio } from "../audio/speech-audio.ts";
import { type Endpoint, Probe } from "./probe.ts";

type Json = Record<string, unknown>;

/** One scripted conversation, run the same way against the local server and the real API. */
export interface Flow {
  name: string;
  /** What it exercises, for the report. */
  about: string;
  run(endpoint: Endpoint): Promise<Json[]>;
}

const TEXT_SESSION = { type: "realtime", output_modalities: ["text"] } as const;

function userText(text: string): Json {
  return {
    type: "conversation.item.create",
    item: { type: "message", role: "user", content: [{ type: "input_text", text }] },
  };
}

/** Opens a session, runs `script` on it, and returns every server event it saw (the socket is then closed). */
async function session(endpoint: Endpoint, script: (p: Probe) => Promise<void>): Promise<Json[]> {
  const probe = await Probe.open(endpoint);
  try {
    await probe.next("session.created");
    await script(probe);
    return probe.events;
  } finally {
    probe.close();
  }
}

async function configure(p: Probe, session: Json): Promise<void> {
  p.send({ type: "session.update", session });
  await p.next("session.updated");
}

const weatherTool = {
  type: "function",
  name: "get_weather",
  description: "The weather in a city.",
  parameters: {
    type: "object",
    properties: { city: { type: "string" } },
    required: ["city"],
  },
};

/**
 * The flows `agent conformance` runs: connect, session update, text turn, function call, cancel and truncate, VAD
 * turn, bad input, out-of-band response. Each asks only for what the real API does deterministically (a forced
 * tool call, fixed instructions), so differences are protocol differences rather than model wording.
 */
export const FLOWS: Flow[] = [
  {
    name: "connect",
    about: "session.created and the default session",
    run: (e) => session(e, async () => {}),
  },
  {
    name: "session-update",
    about: "session.update merged and echoed in session.updated",
    run: (e) =>
      session(e, (p) =>
        configure(p, {
          ...TEXT_SESSION,
          instructions: "Answer in one short sentence.",
          tools: [weatherTool],
          audio: { input: { turn_detection: null } },
        }),
      ),
  },
  {
    name: "text-turn",
    about: "a user message and a text response, with usage",
    run: (e) =>
      session(e, async (p) => {
        await configure(p, TEXT_SESSION);
        p.send(userText("Say hello in three words."));
        p.send({ type: "response.create" });
        await p.next("response.done");
        await p.next("rate_limits.updated", 3000);
      }),
  },
  {
    name: "function-call",
    about: "a forced function call, its output, and the answer about it",
    run: (e) =>
      session(e, async (p) => {
        await configure(p, {
          ...TEXT_SESSION,
          tools: [weatherTool],
          tool_choice: { type: "function", name: "get_weather" },
        });
        p.send(userText("What's the weather in Oslo?"));
        p.send({ type: "response.create" });
        const done = await p.next("response.done");
        const call = ((done?.response as Json | undefined)?.output as Json[] | undefined)?.find(
          (i) => i.type === "function_call",
        );
        if (!call) return;
        p.send({
          type: "conversation.item.create",
          item: {
            type: "function_call_output",
            call_id: call.call_id,
            output: '{"summary":"windy"}',
          },
        });
        p.send({ type: "response.create", response: { tool_choice: "none" } });
        await p.next("response.done");
      }),
  },
  {
    name: "cancel-and-truncate",
    about:
      "a barge-in after the audio arrived: cancel finds no response, truncate at the played position",
    run: (e) =>
      session(e, async (p) => {
        await configure(p, { type: "realtime", audio: { input: { turn_detection: null } } });
        p.send(userText("Count slowly from one to twenty."));
        p.send({ type: "response.create" });
        const done = await p.next("response.done", 30_000);
        p.send({ type: "response.cancel" });
        await p.next("error", 5000);
        const item = ((done?.response as Json | undefined)?.output as Json[] | undefined)?.[0];
        if (!item) return;
        p.send({
          type: "conversation.item.truncate",
          item_id: item.id,
          content_index: 0,
          audio_end_ms: 500,
        });
        await p.next("conversation.item.truncated", 5000);
      }),
  },
  {
    name: "vad-turn",
    about: "speech in the input buffer: speech_started/stopped, commit, user item and a response",
    run: (e) =>
      session(e, async (p) => {
        await configure(p, TEXT_SESSION);
        const audio = Buffer.concat([speechAudio("hello there"), silenceAudio(800)]);
        for (const chunk of audioChunks(audio))
          p.send({ type: "input_audio_buffer.append", audio: chunk });
        await p.next("input_audio_buffer.committed", 10_000);
        await p.next("response.done", 20_000);
      }),
  },
  {
    name: "bad-input",
    about:
      "an unknown type, no type, bad JSON, a binary frame, an unknown item; then the beta header",
    run: async (e) => {
      const events = await session(e, async (p) => {
        p.send({ type: "nope" });
        await p.next("error", 5000);
        p.send({ event_id: "no_type" });
        await p.next("error", 5000);
        p.sendRaw("not json");
        await p.next("error", 5000);
        p.sendRaw(Buffer.from("{}"), true);
        await p.next("error", 5000);
        p.send({ type: "conversation.item.delete", item_id: "item_nope" });
        await p.next("error", 5000);
      });
      const beta = await Probe.open(e, { "OpenAI-Beta": "realtime=v1" });
      await beta.next("error", 5000);
      await beta.closedOrAfter(5000);
      beta.close();
      return [
        ...events,
        ...beta.events,
        { type: "(closed)", code: beta.closed?.code ?? null, reason: beta.closed?.reason ?? null },
      ];
    },
  },
  {
    name: "out-of-band",
    about: "a response with conversation: none, metadata and its own input",
    run: (e) =>
      session(e, async (p) => {
        await configure(p, TEXT_SESSION);
        p.send({
          type: "response.create",
          response: {
            conversation: "none",
            metadata: { kind: "probe" },
            output_modalities: ["text"],
            instructions: sayExactly("OK"),
            input: [
              { type: "message", role: "user", content: [{ type: "input_text", text: "Say OK." }] },
            ],
          },
        });
        await p.next("response.done");
      }),
  },
];
