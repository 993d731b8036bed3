import { ParleyError } from "../errors/index.ts";

/** Session variables do not fit the agent: `unknown_variable` (not declared) or `variable_required` (no default, not given). */
export class CompileError extends ParleyError {}
