import { ParleyError } from "../errors/index.ts";

/**
 * Session variables do not fit the agent: `unknown_variable` (not declared, or a template names a variable its
 * scope lacks) or `variable_required` (no default, not given).
 */
export type CompileErrorCode = "unknown_variable" | "variable_required";

export class CompileError extends ParleyError<CompileErrorCode> {}
