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
export class ParleyError extends Error {
  readonly code: string;
  readonly location: SourceLocation | undefined;

  constructor(code: string, message: string, options?: { location?: SourceLocation; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.location = options?.location;
  }
}

export function isParleyError(value: unknown): value is ParleyError {
  return value instanceof ParleyError;
}
