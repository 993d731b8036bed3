import type { ToolPack } from "@parley/core/pack";

/**
 * Declares a tool pack: a named, versioned set of tools with their implementations, default fillers and
 * approval rules, and example utterances. Returns its argument and only adds types. Export the pack as the
 * module's default export (or as `pack`); agent files then reference it with `use:`.
 *
 * `tools` is a list, or a function of the options the agent file passes (`options:`), validated first by
 * the pack's `options` zod schema.
 *
 * @example
 * export default defineToolPack({
 *   name: "acme-reservations",
 *   version: "1.2.0",
 *   description: "Look up and change table reservations",
 *   defaults: { filler: { after: "1s", lines: ["One moment, checking the book."] } },
 *   tools: [lookupReservation, changeReservation],
 * });
 *
 * @example
 * // A pack with options: `use: ./packs/crm` + `options: { region: eu }` in the agent file.
 * export default defineToolPack({
 *   name: "crm",
 *   version: "0.1.0",
 *   description: "Customer records",
 *   options: z.object({ region: z.enum(["eu", "us"]) }),
 *   tools: ({ region }) => [findCustomer(region)],
 * });
 */
export function defineToolPack<Options = undefined>(pack: ToolPack<Options>): ToolPack<Options> {
  return pack;
}
