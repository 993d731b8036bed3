/** PCM16 24 kHz mono: the Realtime API's default audio format, on both directions of the console's socket. */
export const SAMPLE_RATE = 24_000;

let shared: AudioContext | undefined;

/**
 * The page's one AudioContext, at 24 kHz (the browser resamples the microphone and the speaker). Browsers start it
 * suspended until the person interacts with the page: `resume()` is called on each click and key press.
 */
export function audioContext(): AudioContext {
  shared ??= new AudioContext({ sampleRate: SAMPLE_RATE, latencyHint: "interactive" });
  return shared;
}

export function resumeAudio(): void {
  if (shared?.state === "suspended") void shared.resume();
}
