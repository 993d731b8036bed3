/**
 * Bounds on what an agent file may cost to load. Agent files are trusted code but not trusted sizes: a typo, a
 * generated file or a hostile pull request must end in a located error within milliseconds, never a hang or a crash.
 * Real agent files are a few kilobytes and a few hundred values; these bounds are far above that.
 */
export const LOAD_LIMITS = {
  /** Bytes of one agent (or base) file. */
  fileBytes: 1024 * 1024,
  /** Values (mappings, sequences, scalars, alias expansions counted again) in one file. */
  values: 20_000,
  /**
   * Lines plus flow-collection commas of one YAML text, counted before parsing: the YAML parser costs tens of
   * microseconds per entry, so a file of 100,000 one-line keys is refused before it takes seconds to parse.
   */
  entries: 10_000,
  /** Nesting of mappings and sequences. */
  depth: 64,
  /** Characters of one approval condition (`when:`). */
  conditionChars: 2_000,
};
