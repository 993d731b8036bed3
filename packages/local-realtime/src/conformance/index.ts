// @parley/local-realtime/conformance: validators over the Realtime spec copy kept in this package.

export { ConformanceError } from "../errors.ts";
export type { Problem } from "./format-errors.ts";
export {
  assertClientEvent,
  assertServerEvent,
  type Direction,
  eventProblems,
  problemsAgainstSchema,
  type ValidateOptions,
  validateAgainstSchema,
  validateClientEvent,
  validateServerEvent,
} from "./validate.ts";
