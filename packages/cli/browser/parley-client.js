// @parley/cli/browser: connects a page's microphone and speaker to an agent run by `agent serve`.
// The page never holds an API key: it sends its WebRTC offer to serve's POST /session, serve creates the call
// with its own key and runs the agent's tools on the sideband. Plain ES module, no build step.

/**
 * Starts a voice call with an agent.
 *
 * @param {{ url?: string, agent?: string, audio?: HTMLAudioElement, stream?: MediaStream }} [options]
 *   url: where `agent serve` runs (default: this page's origin); agent: an agent name (default: serve's default);
 *   audio: the element that plays the agent (default: a new one); stream: a microphone stream (default: asks for one).
 * @returns {Promise<{ callId: string, peer: RTCPeerConnection, mute(on: boolean): void, hangUp(): Promise<void> }>}
 * @example
 * import { connect } from "/client.js";
 * const call = await connect({ agent: "front-desk" });
 * // … later
 * await call.hangUp();
 */
export async function connect(options = {}) {
  const base = (options.url ?? "").replace(/\/+$/, "");
  const peer = new RTCPeerConnection();
  const audio = options.audio ?? Object.assign(document.createElement("audio"), { autoplay: true });
  peer.ontrack = (event) => {
    audio.srcObject = event.streams[0];
  };
  const stream = options.stream ?? (await navigator.mediaDevices.getUserMedia({ audio: true }));
  for (const track of stream.getAudioTracks()) peer.addTrack(track, stream);
  const offer = await peer.createOffer();
  await peer.setLocalDescription(offer);
  const query = options.agent ? `?agent=${encodeURIComponent(options.agent)}` : "";
  const response = await fetch(`${base}/session${query}`, {
    method: "POST",
    headers: { "content-type": "application/sdp" },
    body: offer.sdp,
  });
  if (response.status !== 201) {
    peer.close();
    // Show the server's reason rather than feeding an error body to setRemoteDescription.
    throw new Error(`agent serve refused the call (${response.status}): ${await response.text()}`);
  }
  const callId = response.headers.get("x-parley-call-id") ?? "";
  await peer.setRemoteDescription({ type: "answer", sdp: await response.text() });
  return {
    callId,
    peer,
    mute(on) {
      for (const track of stream.getAudioTracks()) track.enabled = !on;
    },
    async hangUp() {
      await fetch(`${base}/session/${encodeURIComponent(callId)}`, { method: "DELETE" }).catch(
        () => {},
      );
      for (const track of stream.getTracks()) track.stop();
      peer.close();
    },
  };
}
