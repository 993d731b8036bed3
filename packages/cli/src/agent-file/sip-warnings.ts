import { readFileSync } from "node:fs";
import type { LoadedAgent, Problem } from "@parley/core/load";

/** Agent-file names of the turn-detection fields the SIP accept endpoint refuses (see SIP_REFUSED_TURN_DETECTION). */
const REFUSED = ["threshold", "prefixPadding", "silenceDuration"] as const;

/** Where `key:` is first written in the agent's files (the file itself, then what it extends). */
function locate(agent: LoadedAgent, key: string): { file: string; line: number; col: number } {
  for (const file of [agent.file, ...agent.files.filter((f) => f !== agent.file)]) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      continue;
    }
    const lines = text.split("\n");
    for (const [i, line] of lines.entries()) {
      const col = line.search(new RegExp(`\\b${key}\\s*:`));
      if (col >= 0) return { file, line: i + 1, col: col + 1 };
    }
  }
  return { file: agent.file, line: 1, col: 1 };
}

/**
 * Warnings for phone calls: the SIP accept endpoint refuses turn detection's threshold, prefix padding and silence
 * duration, so `agent serve` leaves them out and phone calls use the API's defaults for them.
 */
export function sipAcceptWarnings(agent: LoadedAgent): Problem[] {
  const td = agent.config.audio?.input?.turnDetection;
  if (typeof td !== "object" || td.type !== "server_vad") return [];
  return REFUSED.filter((key) => td[key] !== undefined).map((key) => ({
    code: "sip_refused_field",
    message: `turnDetection.${key} is not sent on phone calls: the SIP accept endpoint refuses it (agent serve leaves it out; the API's default applies)`,
    ...locate(agent, key),
    path: `audio.input.turnDetection.${key}`,
    severity: "warning" as const,
  }));
}
