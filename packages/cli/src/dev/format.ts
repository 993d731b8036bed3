import { redact } from "@parley/core";
import type { DevStatus } from "./view.ts";

/** `0.8s`, `12s`, `350ms`. */
export function elapsed(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)}s` : `${Math.round(ms / 1000)}s`;
}

/** `$0.0123`: enough digits to see a single turn's cost move. */
export function usd(n: number): string {
  return n < 1 ? `$${n.toFixed(4)}` : `$${n.toFixed(2)}`;
}

/** JSON on one line, secrets redacted, cut to `max` characters. */
export function compactJson(value: unknown, max = 80): string {
  let text: string;
  if (typeof value === "string") {
    try {
      text = JSON.stringify(redact(JSON.parse(value)));
    } catch {
      text = value;
    }
  } else {
    text = JSON.stringify(redact(value)) ?? String(value);
  }
  text = text.replace(/\s+/g, " ");
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching terminal escape sequences
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;

/** Visible width of a string (escape codes removed; wide characters count as one, good enough for our text). */
export function visibleLength(text: string): number {
  return [...text.replace(ANSI, "")].length;
}

/** Cuts a (possibly coloured) string to `width` visible characters. */
export function truncate(text: string, width: number): string {
  if (visibleLength(text) <= width) return text;
  let out = "";
  let seen = 0;
  for (let i = 0; i < text.length; ) {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: an escape sequence at this position
    const m = text.slice(i).match(/^\u001b\[[0-9;?]*[ -/]*[@-~]/);
    if (m) {
      out += m[0];
      i += m[0].length;
      continue;
    }
    if (seen >= width - 1) break;
    const ch = String.fromCodePoint(text.codePointAt(i) as number);
    out += ch;
    i += ch.length;
    seen++;
  }
  return `${out}…\u001b[0m`;
}

/** Word-wraps plain text to `width` columns, continuation lines indented by `indent` spaces. */
export function wrap(text: string, width: number, indent: number): string[] {
  const lines: string[] = [];
  let line = "";
  const room = Math.max(10, width);
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const limit = lines.length === 0 ? room : room - indent;
    if (line && visibleLength(line) + 1 + visibleLength(word) > limit) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line || lines.length === 0) lines.push(line);
  return lines.map((l, i) => (i === 0 ? l : " ".repeat(indent) + l));
}

/**
 * `~$0.0123 (estimate at API prices)` offline (`~$0.0123 est.` where room is short: the banner explains), `$0.0123`
 * against a real server.
 */
export function costText(costUsd: number, estimate: boolean, short = false): string {
  if (!estimate) return usd(costUsd);
  return short ? `~${usd(costUsd)} est.` : `~${usd(costUsd)} (estimate at API prices)`;
}

/**
 * The status line's text: where, which model, the cost, and the last turn's latency, with the time spent at an
 * approval prompt shown apart from the agent's own answer time. `compact` (a narrow terminal) keeps the figures and
 * drops the model and the labels.
 */
export function statusText(s: DevStatus, compact = false): string {
  const ms = (v: number | null) => (v === null ? "–" : elapsed(v));
  const approval = s.approvalMs === null ? "" : ` · approval ${elapsed(s.approvalMs)}`;
  const cost = costText(s.costUsd, s.costIsEstimate, true);
  if (compact) {
    const turn =
      s.firstAudioMs === null && s.firstAnswerMs === null
        ? "no turn yet"
        : `audio ${ms(s.firstAudioMs)} · answer ${ms(s.firstAnswerMs)}${approval}`;
    return `${s.target} · ${cost} · ${turn}`;
  }
  const latency =
    s.firstAudioMs === null && s.firstAnswerMs === null
      ? "no turn yet"
      : `first audio ${ms(s.firstAudioMs)} · answer ${ms(s.firstAnswerMs)}${approval}`;
  return `${s.target} · ${s.model} · ${cost} · last turn: ${latency}`;
}
