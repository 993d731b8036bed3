/**
 * zod parse options for agent files and pack options. On its first parse of an object shape zod compiles a fast
 * parser for it (`new Function`): worth it over many parses, not for the one or two a CLI run makes (~20 ms of CPU
 * at a cold `agent validate`, more than the parses themselves). So the first parses of a process skip it, and a
 * process that keeps loading (a dev server reloading, a bench) gets the compiled parsers after that. Same result
 * either way.
 */
const FIRST_PARSES = 50;
let parses = 0;

const JITLESS = { jitless: true } as const;

/** The options for the next parse: `{ jitless: true }` for the process's first parses, none after. */
export function parseOptions(): typeof JITLESS | undefined {
  return parses++ < FIRST_PARSES ? JITLESS : undefined;
}
