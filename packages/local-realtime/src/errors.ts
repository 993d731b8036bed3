/**
 * Errors the local server raises on purpose. `code` is stable; the message says what is wrong and how to fix it.
 * (This package does not depend on @parley/core, so it carries its own small root class.)
 *
 * @example
 * throw new LocalRealtimeError("bad_option", "pace must be a number >= 0");
 */
export class LocalRealtimeError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
  }
}

/** An event does not conform to the Realtime spec. `problems` are readable lines, one per violation. */
export class ConformanceError extends LocalRealtimeError {
  readonly problems: string[];
  readonly eventType: string | undefined;

  constructor(direction: "client" | "server", eventType: string | undefined, problems: string[]) {
    const head = `${direction} event ${eventType ? `"${eventType}"` : "(no type)"} does not conform to the Realtime spec`;
    super("event_not_conformant", `${head}:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.problems = problems;
    this.eventType = eventType;
  }
}
