/**
 * A short spoken summary of a tool's output, as a person would say it. A `spoken` field is said as it is; an error
 * is said by its message (never as JSON); otherwise up to three plain fields, with yes/no for flags and lists
 * counted. It only quotes what the output says — never adds a result of its own — so tests can tell a real tool
 * result from an invented one.
 *
 * @example
 * speakAboutOutput('{"error":{"code":"timeout","message":"the booking system is not answering"}}')
 * // "Sorry, that didn't work: the booking system is not answering."
 */
export function speakAboutOutput(output: string): string {
  const trimmed = output.trim();
  if (!trimmed) return "Done.";
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    // A simulated text model's answer (a delegation) is already phrased this way: not said twice.
    if (trimmed.startsWith("Here's what I got: ")) return clip(trimmed);
    return `Here's what I got: ${clip(trimmed)}`;
  }
  if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
    const record = parsed as Record<string, unknown>;
    if (typeof record.spoken === "string" && record.spoken.trim()) return record.spoken.trim();
    const error = record.error ?? record.message_error;
    if (error !== undefined && error !== null && error !== false)
      return `Sorry, that didn't work: ${clip(errorMessage(error))}.`;
    const refusal = refused(record);
    if (refusal) return `Sorry, that didn't go through: ${clip(refusal)}.`;
    // `{ ok: true }`, `{ ending: true }`: a flag that only says it worked.
    if (Object.values(record).every((v) => v === true)) return "Done.";
    const fields = Object.entries(record)
      .filter(
        ([, v]) => v !== null && v !== undefined && (typeof v !== "object" || Array.isArray(v)),
      )
      .slice(0, 3)
      .map(([k, v]) => field(k, v));
    if (!fields.length) return "Done.";
    return `Here's what I got: ${fields.join(", ")}.`;
  }
  if (Array.isArray(parsed))
    return parsed.length
      ? `I found ${parsed.length} result${parsed.length === 1 ? "" : "s"}: ${clip(describe(parsed[0]))}.`
      : "I found nothing.";
  return `Here's what I got: ${clip(scalar(parsed))}`;
}

/** `{ booked: false, reason: "…" }`: a flag that says no, with the reason. */
function refused(record: Record<string, unknown>): string | undefined {
  const no = Object.values(record).some((v) => v === false);
  const reason = record.reason ?? record.message;
  return no && typeof reason === "string" && reason ? reason : undefined;
}

/** One field as words: a true flag by its name ("ending"), lists by their count, others "name value". */
function field(key: string, value: unknown): string {
  const name = key
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .replace(/_/g, " ")
    .toLowerCase();
  if (value === true) return name;
  if (value === false) return `not ${name}`;
  if (Array.isArray(value))
    return value.length
      ? `${value.length} ${name}: ${describe(value[0])}${value.length > 1 ? " and more" : ""}`
      : `no ${name}`;
  return `${name} ${scalar(value)}`;
}

/** An object as "type double, nightly eur 140"; scalars as themselves. */
function describe(value: unknown): string {
  if (value && typeof value === "object" && !Array.isArray(value))
    return Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v === null || typeof v !== "object")
      .slice(0, 3)
      .map(([k, v]) => field(k, v))
      .join(", ");
  return scalar(value);
}

function errorMessage(error: unknown): string {
  if (typeof error === "string") {
    try {
      return errorMessage(JSON.parse(error));
    } catch {
      return error;
    }
  }
  if (error && typeof error === "object") {
    const e = error as { message?: unknown; code?: unknown };
    if (typeof e.message === "string") return e.message;
    if (typeof e.code === "string") return e.code.replace(/_/g, " ");
  }
  return error === true ? "something went wrong" : String(error);
}

function scalar(v: unknown): string {
  return typeof v === "string" ? v : JSON.stringify(v);
}

function clip(text: string, max = 160): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
