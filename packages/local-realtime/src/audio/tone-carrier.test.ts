import { describe, expect, it } from "vitest";
import { startTestServer, TestClient } from "../../test/harness.ts";
import { decodeSamples } from "./formats.ts";
import { audioChunks, silenceAudio, speechAudio } from "./speech-audio.ts";
import { readToneTexts } from "./tone-carrier.ts";
import { carriedTexts } from "./transcripts.ts";

/** Linear-interpolation resampling with a gain and a fractional start: what a real audio stack does to a signal. */
function resample(samples: Int16Array, from: number, to: number, gain = 1, start = 0.37) {
  const out = new Int16Array(Math.floor(((samples.length - 1 - start) * to) / from));
  for (let i = 0; i < out.length; i++) {
    const x = start + (i * from) / to;
    const k = Math.floor(x);
    const f = x - k;
    const a = samples[k] as number;
    const b = samples[k + 1] as number;
    out[i] = Math.round(gain * (a + (b - a) * f));
  }
  return out;
}

describe("the tone carrier", () => {
  it.each(["audio/pcm", "audio/pcmu", "audio/pcma"] as const)(
    "carries its text in %s, with real energy",
    (format) => {
      const audio = speechAudio("book a room for two nights", { format, carrier: "tones" });
      expect(carriedTexts(audio, format)).toEqual(["book a room for two nights"]);
    },
  );

  it("survives resampling to 44.1 kHz and back, a gain change and an unaligned start", () => {
    const samples = decodeSamples(
      "audio/pcm",
      speechAudio("what time is it", { carrier: "tones" }),
    );
    const there = resample(samples, 24000, 44100, 0.4);
    expect(readToneTexts(there, 44100)).toEqual(["what time is it"]);
    expect(readToneTexts(resample(there, 44100, 24000, 2.2, 0.81), 24000)).toEqual([
      "what time is it",
    ]);
  });

  it("keeps its place when a busy audio thread drops, repeats or zero-fills a few milliseconds", () => {
    const samples = decodeSamples(
      "audio/pcm",
      speechAudio("look up booking ABC", { carrier: "tones" }),
    );
    const ms = (t: number) => Math.round(t * 24);
    const glitched = new Int16Array([
      ...samples.subarray(0, ms(300)),
      ...samples.subarray(ms(307), ms(700)), // 7 ms dropped
      ...new Int16Array(ms(10)), // 10 ms of nothing
      ...samples.subarray(ms(700), ms(1100)),
      ...samples.subarray(ms(1094)), // 6 ms played twice
    ]);
    expect(readToneTexts(glitched, 24000)).toEqual(["look up booking ABC"]);
    // Repeated nibbles ("oo", "00") are sent as a "same again" tone and read back.
    const repeats = decodeSamples("audio/pcm", speechAudio("book 1000", { carrier: "tones" }));
    expect(readToneTexts(repeats, 24000)).toEqual(["book 1000"]);
  });

  it("reads two utterances in order and nothing from silence or the plain voice", () => {
    const two = Buffer.concat([
      speechAudio("first", { carrier: "tones" }),
      silenceAudio(130),
      speechAudio("second", { carrier: "tones" }),
    ]);
    expect(carriedTexts(two, "audio/pcm")).toEqual(["first", "second"]);
    expect(carriedTexts(silenceAudio(800), "audio/pcm")).toEqual([]);
    const plain = speechAudio("hello", { silenceBeforeMs: 0 });
    // Wiping the low bits leaves a voice with no text in it.
    for (let i = 0; i < plain.length; i += 2) plain[i] = (plain[i] as number) & 0xfe;
    expect(carriedTexts(plain, "audio/pcm")).toEqual([]);
  });

  it("is heard by server VAD as one turn and transcribed", async () => {
    const server = await startTestServer();
    const client = await TestClient.connect(server.url);
    await client.configure({
      output_modalities: ["text"],
      audio: { input: { transcription: { model: "gpt-4o-transcribe" } } },
    });
    for (const chunk of audioChunks(speechAudio("hello there", { carrier: "tones" })))
      client.send({ type: "input_audio_buffer.append", audio: chunk });
    const started = await client.next("input_audio_buffer.speech_started");
    const committed = await client.next("input_audio_buffer.committed");
    expect(committed.item_id).toBe(started.item_id);
    const transcript = await client.next("conversation.item.input_audio_transcription.completed");
    expect(transcript).toMatchObject({ item_id: started.item_id, transcript: "hello there" });
    const done = await client.next("response.done");
    expect(done.response.output[0].content[0].text).toBe("Hello! How can I help you today?");
  });
});
