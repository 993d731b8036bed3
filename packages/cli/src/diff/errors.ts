import { ParleyError } from "@parley/core";

export type DiffErrorCode = "diff_usage" | "git_failed" | "agent_missing";

/** `agent diff` cannot compare: a bad argument, git refused, or an agent file is not in that revision. Exit 2. */
export class DiffError extends ParleyError<DiffErrorCode> {}
