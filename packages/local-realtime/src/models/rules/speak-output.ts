/**
 * A short spoken summary of a tool's output. It only quotes what the output says — never adds a result of its
 * own — so tests can tell a real tool result from an invented one.
 */
export function speakAboutOutput(output: string): string {
  const trimmed = output.trim();
  if (!trimmed) return "Done.";
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    return `Here's what I got: ${clip(trimmed)}`;
  }
  if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
    const record = parsed as Record<string, unknown>;
    const error = record.error ?? record.message_error;
    if (error !== undefined && error !== null && error !== false)
      return `Sorry, that didn't work: ${clip(scalar(error))}.`;
    const fields = Object.entries(record)
      .filter(([, v]) => v === null || typeof v !== "object")
      .slice(0, 3)
      .map(([k, v]) => `${k.replace(/_/g, " ")} ${scalar(v)}`);
    return fields.length
      ? `Here's what I got: ${fields.join(", ")}.`
      : `Here's what I got: ${clip(trimmed)}`;
  }
  if (Array.isArray(parsed))
    return parsed.length
      ? `I found ${parsed.length} result${parsed.length === 1 ? "" : "s"}: ${clip(JSON.stringify(parsed[0]))}`
      : "I found nothing.";
  return `Here's what I got: ${clip(scalar(parsed))}`;
}

function scalar(v: unknown): string {
  return typeof v === "string" ? v : JSON.stringify(v);
}

function clip(text: string, max = 160): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
