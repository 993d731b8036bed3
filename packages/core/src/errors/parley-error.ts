/** Where in a file a problem is. Lines and columns are 1-based. */
export interface SourceLocation {
  file: string;
  line: number;
  col: number;
}

/**
 * The root of every error Parley raises on purpose. `code` is stable (tests and users match on it);
 * `message` says what is wrong and how to fix it. A ParleyError is shown to a person without a stack trace.
 *
 * @example
 * throw new ParleyError("tool_timeout", "lookup_booking did not finish within 30s");
 */
// A process-wide brand: a handler loaded through tsx's CommonJS hook can get its own copy of @parley/core, whose
// ParleyError is another class; the brand lets isParleyError recognise its errors all the same.
const BRAND = Symbol.for("parley.error");

export class ParleyError<Code extends string = string> extends Error {
  readonly [BRAND] = true;
  /** Stable; each subclass narrows it to the closed union of its codes (`SessionErrorCode`, …). */
  readonly code: Code;
  readonly location: SourceLocation | undefined;

  constructor(
    code: Code,
    message: string,
    options?: { location?: SourceLocation; cause?: unknown },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.location = options?.location;
  }
}

/** True for a ParleyError from any copy of @parley/core loaded in this process. */
export function isParleyError(value: unknown): value is ParleyError {
  return (
    value instanceof ParleyError ||
    (value instanceof Error && (value as unknown as Record<symbol, unknown>)[BRAND] === true)
  );
}
