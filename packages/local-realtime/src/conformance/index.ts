// @parley/local-realtime/conformance: validators over the Realtime spec copy kept in this package.
export {
  assertClientEvent,
  assertServerEvent,
  eventProblems,
  problemsAgainstSchema,
  validateAgainstSchema,
  validateClientEvent,
  validateServerEvent,
  type Direction,
  type ValidateOptions,
} from "./validate.ts";
export { ConformanceError } from "../errors.ts";
export type { Problem } from "./format-errors.ts";
