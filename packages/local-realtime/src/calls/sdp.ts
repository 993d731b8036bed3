import { createHash, randomBytes } from "node:crypto";

/** Why an SDP offer is refused, in words a developer can act on; undefined when it is a usable offer. */
export function sdpOfferProblem(sdp: string): string | undefined {
  const lines = sdp.split(/\r?\n/).filter((l) => l.length > 0);
  if (lines[0] !== "v=0") return 'an SDP offer starts with "v=0"';
  for (const prefix of ["o=", "s=", "t="])
    if (!lines.some((l) => l.startsWith(prefix))) return `the SDP offer has no "${prefix}" line`;
  const audio = lines.filter((l) => l.startsWith("m=audio "));
  if (audio.length === 0) return "the SDP offer has no audio media section (m=audio)";
  if (audio.length > 1) return "the SDP offer has more than one audio media section";
  for (const attribute of ["a=ice-ufrag:", "a=ice-pwd:", "a=fingerprint:"])
    if (!lines.some((l) => l.startsWith(attribute)))
      return `the SDP offer has no ${attribute.slice(2, -1)} attribute`;
  return undefined;
}

/**
 * An SDP answer to a valid offer: one answered section per offered one (same media, mid and first payload), with
 * the server's ICE credentials and a certificate fingerprint. Media is not simulated: nothing listens on it.
 */
export function sdpAnswer(offer: string): string {
  const lines = offer.split(/\r?\n/).filter((l) => l.length > 0);
  const fingerprint = createHash("sha256")
    .update(randomBytes(32))
    .digest("hex")
    .toUpperCase()
    .match(/../g)
    ?.join(":");
  const ufrag = randomBytes(4).toString("hex");
  const pwd = randomBytes(12).toString("hex");
  const out = [
    "v=0",
    `o=- ${Date.now()} 2 IN IP4 127.0.0.1`,
    "s=-",
    "t=0 0",
    "a=msid-semantic: WMS",
  ];
  const mids: string[] = [];
  let section: string[] | undefined;
  const sections: string[][] = [];
  for (const line of lines) {
    if (line.startsWith("m=")) {
      section = [line];
      sections.push(section);
    } else section?.push(line);
  }
  for (const s of sections) {
    const [kind, , proto, ...formats] = (s[0] ?? "").slice(2).split(" ");
    const mid =
      s.find((l) => l.startsWith("a=mid:"))?.slice("a=mid:".length) ?? String(mids.length);
    mids.push(mid);
    out.push(`m=${kind} 9 ${proto} ${formats[0] ?? "0"}`, "c=IN IP4 0.0.0.0");
    out.push(`a=ice-ufrag:${ufrag}`, `a=ice-pwd:${pwd}`, `a=fingerprint:sha-256 ${fingerprint}`);
    out.push("a=setup:active", `a=mid:${mid}`);
    if (kind === "application") out.push("a=sctp-port:5000");
    else {
      out.push("a=sendrecv", "a=rtcp-mux");
      const rtpmap = s.find((l) => l.startsWith(`a=rtpmap:${formats[0]} `));
      if (rtpmap) out.push(rtpmap);
    }
    out.push("a=candidate:1 1 udp 2130706431 127.0.0.1 9 typ host");
  }
  out.splice(4, 0, `a=group:BUNDLE ${mids.join(" ")}`);
  return `${out.join("\r\n")}\r\n`;
}
