// Classes that live as long as a session keep their booleans as bits of one number field (a boolean field costs a
// slot in every instance; several bits cost one).

/** `flags` with `bit` set when `on`, cleared otherwise. */
export function withBit(flags: number, bit: number, on: boolean): number {
  return on ? flags | bit : flags & ~bit;
}
