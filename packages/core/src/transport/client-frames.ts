import type {
  InputAudioBufferAppendEvent,
  RealtimeClientEvent,
} from "openai/resources/realtime/realtime";

// Appends made by encodedAudioAppend, with the base64 made for each. The events stay plain objects: the event
// stream and the session log treat them as any other.
const encoded = new WeakMap<object, string>();

/**
 * An `input_audio_buffer.append` of `bytes`, base64-encoded here, so its text needs no escaping. A microphone sends
 * ten a second per call, and sending them is the largest share of a streaming call's client CPU
 * (parley-audio-sessions' profile): `JSON.stringify` scans each chunk's ~6.4 KB of base64 for characters to
 * escape, `clientEventText` joins the known text around it instead (a chunk's send, base64 and `ws` framing
 * included: ~30 → ~23 µs).
 *
 * @example
 * transport.send(encodedAudioAppend(pcm));
 */
export function encodedAudioAppend(bytes: Uint8Array): InputAudioBufferAppendEvent {
  const audio = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
  const event: InputAudioBufferAppendEvent = { type: "input_audio_buffer.append", audio };
  encoded.set(event, audio);
  return event;
}

/**
 * The JSON text of a client event: what `JSON.stringify` gives, built without the escaping scan for an append made
 * by `encodedAudioAppend` and not changed since (its base64 alphabet never needs escaping).
 *
 * @example
 * socket.send(clientEventText(event));
 */
export function clientEventText(event: RealtimeClientEvent): string {
  if (event.type === "input_audio_buffer.append" && event.event_id === undefined) {
    const audio = encoded.get(event);
    if (audio !== undefined && audio === event.audio)
      return `{"type":"input_audio_buffer.append","audio":"${audio}"}`;
  }
  return JSON.stringify(event);
}
