import { audioContext } from "./context.ts";

/**
 * The microphone: captured by an AudioWorklet at 24 kHz as PCM16, handed to `onChunk` in 20 ms chunks (binary
 * frames to Parley). The browser's echo cancellation keeps the agent's voice out of it. `onLost` is called when the
 * microphone is lost while on: its track ends without us stopping it (unplugged, permission revoked, taken by the
 * system); our own `stop()` does not fire a track's `ended` event (the spec says so).
 */
export class Mic {
  #stream: MediaStream | undefined;
  #node: AudioWorkletNode | undefined;
  #source: MediaStreamAudioSourceNode | undefined;
  #sink: GainNode | undefined;

  constructor(
    private readonly onChunk: (pcm: ArrayBuffer) => void,
    private readonly onLost: () => void = () => {},
  ) {}

  get on(): boolean {
    return this.#node !== undefined;
  }

  async start(): Promise<void> {
    if (this.#node) return;
    const ctx = audioContext();
    await ctx.resume();
    await ctx.audioWorklet.addModule(new URL("mic-worklet.js", location.href));
    this.#stream = await navigator.mediaDevices.getUserMedia({
      audio: {
        channelCount: 1,
        echoCancellation: true,
        noiseSuppression: true,
        autoGainControl: true,
      },
    });
    const stream = this.#stream;
    for (const track of stream.getAudioTracks())
      track.addEventListener(
        "ended",
        () => {
          if (this.#stream !== stream) return; // stopped or restarted since
          this.stop();
          this.onLost();
        },
        { once: true },
      );
    this.#source = ctx.createMediaStreamSource(stream);
    this.#node = new AudioWorkletNode(ctx, "parley-mic");
    this.#node.port.onmessage = (e: MessageEvent<ArrayBuffer>) => this.onChunk(e.data);
    this.#source.connect(this.#node);
    // Pulled by the graph only when it leads to the speakers: through a silent gain, so nothing is heard.
    this.#sink = ctx.createGain();
    this.#sink.gain.value = 0;
    this.#node.connect(this.#sink).connect(ctx.destination);
  }

  stop(): void {
    this.#source?.disconnect();
    this.#node?.port.close();
    this.#node?.disconnect();
    this.#sink?.disconnect();
    for (const track of this.#stream?.getTracks() ?? []) track.stop();
    this.#node = undefined;
    this.#source = undefined;
    this.#stream = undefined;
  }
}
