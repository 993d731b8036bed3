import { type LogRecord, setLogSink } from "@parley/core";
import pc from "picocolors";

/** Audio chunks: dozens a second, base64 — counted in no line of their own. */
const NOISY = new Set(["input_audio_buffer.append", "response.output_audio.delta"]);

/**
 * `agent --verbose`: every Realtime event in (←) and out (→) on stderr, one line each with its ids, plus the
 * runtime's debug log. Secrets are redacted by the logger before they reach this sink.
 */
export function showRealtimeEvents(stderr: NodeJS.WritableStream = process.stderr): void {
  const c = pc.createColors(
    Boolean((stderr as { isTTY?: boolean }).isTTY) && !process.env.NO_COLOR,
  );
  setLogSink((record: LogRecord) => {
    if (record.namespace.endsWith(":wire")) {
      const event = record.data as { type?: string } & Record<string, unknown>;
      if (!event?.type || NOISY.has(event.type)) return;
      const arrow = record.message === "sent" ? "→" : "←";
      stderr.write(`${c.dim(`${arrow} ${event.type}`)}${c.dim(detail(event))}\n`);
      return;
    }
    stderr.write(c.dim(`${record.namespace} ${record.level} ${record.message}\n`));
  });
}

/** The ids and names that tell one event from the next, not its whole body. */
function detail(event: Record<string, unknown>): string {
  const parts: string[] = [];
  const item = event.item as { type?: string; name?: string; call_id?: string } | undefined;
  const response = event.response as { id?: string; status?: string } | undefined;
  for (const key of ["item_id", "call_id", "name", "delta"] as const) {
    const v = event[key];
    if (typeof v === "string") parts.push(`${key}=${key === "delta" ? JSON.stringify(v) : v}`);
  }
  if (item?.type) parts.push(`item=${item.type}${item.name ? `:${item.name}` : ""}`);
  if (response?.id)
    parts.push(`response=${response.id}${response.status ? ` ${response.status}` : ""}`);
  const error = event.error as { message?: string } | undefined;
  if (error?.message) parts.push(`error=${JSON.stringify(error.message)}`);
  return parts.length ? ` ${parts.join(" ")}` : "";
}
