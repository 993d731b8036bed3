/**
 * zod parse options for a value checked once (an agent file, a pack's options). zod compiles a fast parser for each
 * object shape (`new Function`) on its first parse, which pays off over many parses of the same shape but not for
 * one: at a cold `agent validate` it was ~20 ms of CPU, more than the parses themselves. The result is the same.
 */
export const PARSE_ONCE = { jitless: true } as const;
