// The microphone's AudioWorklet: the page's AudioContext runs at 24 kHz, so each input sample becomes one PCM16
// sample; posted to the page in 20 ms chunks (480 samples), which sends them to Parley as binary frames.
// Loaded with audioWorklet.addModule("mic-worklet.js"): a separate bundle, it runs in the audio rendering thread.

declare class AudioWorkletProcessor {
  readonly port: MessagePort;
}
declare function registerProcessor(name: string, processor: typeof AudioWorkletProcessor): void;

const CHUNK = 480;

class MicProcessor extends AudioWorkletProcessor {
  #buffer = new Int16Array(CHUNK);
  #filled = 0;

  process(inputs: Float32Array[][]): boolean {
    const channel = inputs[0]?.[0];
    if (!channel) return true;
    for (let i = 0; i < channel.length; i++) {
      const s = Math.max(-1, Math.min(1, channel[i] as number));
      this.#buffer[this.#filled++] = s < 0 ? s * 0x8000 : s * 0x7fff;
      if (this.#filled === CHUNK) {
        this.port.postMessage(this.#buffer.buffer, [this.#buffer.buffer]);
        this.#buffer = new Int16Array(CHUNK);
        this.#filled = 0;
      }
    }
    return true;
  }
}

registerProcessor("parley-mic", MicProcessor);
