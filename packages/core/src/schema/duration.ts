import { z } from "zod";

const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)$/;
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;

/** The message every bad duration gets, so users learn the format from the error. */
export const DURATION_HINT = 'a duration like "300ms", "1.5s", "2m" or a number of milliseconds';

/**
 * Parses "300ms", "1.5s", "2m", "1h" (or a number of milliseconds) to milliseconds; undefined when malformed.
 *
 * @example
 * parseDuration("1.5s") // 1500
 */
export function parseDuration(value: string | number): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) && value >= 0 ? value : undefined;
  const match = DURATION.exec(value.trim());
  if (!match) return undefined;
  return Math.round(Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS]);
}

/**
 * A duration as written in agent files: `"1.5s" | "300ms" | "2m" | "1h" | number(ms)`, parsed to milliseconds.
 *
 * @example
 * durationSchema.parse("2m") // 120000
 */
export const durationSchema = z
  .union([
    z.number({ error: `expected ${DURATION_HINT}` }).nonnegative(),
    z.string().regex(DURATION, { error: `expected ${DURATION_HINT}` }),
  ])
  .transform((value) => parseDuration(value) as number)
  .meta({ description: `Milliseconds, or ${DURATION_HINT}.` });

export type Duration = z.input<typeof durationSchema>;
