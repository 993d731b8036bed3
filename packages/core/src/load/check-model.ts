import { didYouMean } from "./did-you-mean.ts";
import { problemAt } from "./located.ts";
import type { Problem } from "./problem.ts";

/** Realtime models known when this was written. Newer names are accepted; a near miss of a known one is a warning. */
const KNOWN_MODELS = [
  "gpt-realtime",
  "gpt-realtime-1.5",
  "gpt-realtime-2",
  "gpt-realtime-2.1",
  "gpt-realtime-2.1-mini",
  "gpt-realtime-2025-08-28",
  "gpt-realtime-mini",
  "gpt-realtime-mini-2025-10-06",
  "gpt-realtime-mini-2025-12-15",
  "gpt-4o-realtime-preview",
  "gpt-4o-mini-realtime-preview",
  "gpt-audio-1.5",
  "gpt-audio-mini",
];

const FAMILIES = ["gpt-realtime", "gpt-4o-realtime", "gpt-4o-mini-realtime", "gpt-audio"];

/**
 * A warning when `model` is not a known Realtime model nor a new one of a known family: a typo ("gpt-realtme") or a
 * model of another API (`gpt-4o`). Never an error: new models appear.
 */
export function checkModel(model: string, raw: unknown, file: string): Problem[] {
  // A new version of a known family ("gpt-realtime-3") is fine; only a misspelt family name is suspicious.
  if (KNOWN_MODELS.includes(model) || FAMILIES.some((f) => model.startsWith(f))) return [];
  const guess = didYouMean(model, KNOWN_MODELS);
  return [
    problemAt(
      raw,
      ["model"],
      "unknown_model",
      `"${model}" is not a Realtime model this version of Parley knows`,
      file,
      {
        hint: guess
          ? `did you mean "${guess}"?`
          : `Realtime models: ${KNOWN_MODELS.filter((m) => !/\d{4}-\d\d-\d\d/.test(m)).join(", ")}`,
        severity: "warning",
      },
    ),
  ];
}
