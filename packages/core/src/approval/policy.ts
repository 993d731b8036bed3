import type { z } from "zod";
import type { approvalPolicySchema } from "../schema/approval.ts";
import { toMs } from "../tool/duration.ts";
import type { ToolApprovalOption } from "../tool/index.ts";
import { compileCondition } from "./condition.ts";

/** Default time an approver has to answer before the call is rejected. */
export const DEFAULT_APPROVAL_TIMEOUT_MS = 60_000;

/**
 * The agent-wide approval policy (the agent file's `approval:` section): `default` rule, `approver`, `timeout`,
 * `onTimeout`, and per-tool rules in `tools`. For the API's MCP approval requests, `tools` may also key rules by
 * `"<server_label>/<tool>"` or `"<server_label>/*"`.
 */
export type ApprovalSettings = z.input<typeof approvalPolicySchema>;

/** A rule, compiled once at setup. */
export interface CompiledApprovalRule {
  /** False for "never": no check, nothing audited. */
  active: boolean;
  /** Returns why approval is needed, or undefined when the call may run without asking. */
  check(args: unknown, variables: unknown): string | undefined;
  timeoutMs: number;
  onTimeout: "reject" | "approve";
  approver: string | undefined;
}

const NEVER: CompiledApprovalRule = {
  active: false,
  check: () => undefined,
  timeoutMs: 0,
  onTimeout: "reject",
  approver: undefined,
};

/**
 * Compiles an approval rule against the agent-wide settings. Condition strings are parsed here, so a typo fails at
 * setup with its column, not mid-call. A condition that cannot be evaluated asks (fails closed).
 *
 * @example
 * const rule = compileApprovalRule({ when: "args.amount > 100" }, {});
 * rule.check({ amount: 250 }, {}) // "args.amount > 100"
 */
export function compileApprovalRule(
  option: ToolApprovalOption | undefined,
  settings: ApprovalSettings = {},
): CompiledApprovalRule {
  if (option === undefined || option === "never") return NEVER;
  const spec:
    | Exclude<ToolApprovalOption, string>
    | { when?: undefined; timeout?: undefined; onTimeout?: undefined; approver?: undefined } =
    option === "always" ? {} : option;
  const timeoutMs = toMs(
    spec.timeout ?? settings.timeout ?? DEFAULT_APPROVAL_TIMEOUT_MS,
    "approval.timeout",
  );
  const onTimeout = spec.onTimeout ?? settings.onTimeout ?? "reject";
  const base = { active: true, timeoutMs, onTimeout, approver: spec.approver };
  const { when } = spec;
  if (when === undefined) return { ...base, check: () => "this tool always needs approval" };
  const condition = compileCondition(when);
  return {
    ...base,
    check: (args, variables) => (safe(() => condition({ args, variables })) ? when : undefined),
  };
}

/**
 * The rule for one of the agent's tools: the agent's `approval.tools[name]`, else the tool's own `approval`, else the
 * agent's `approval.default`, else never.
 */
export function toolApprovalOption(
  settings: ApprovalSettings,
  tool: string,
  own: ToolApprovalOption | undefined,
): ToolApprovalOption {
  return settings.tools?.[tool] ?? own ?? settings.default ?? "never";
}

/**
 * The rule for a remote MCP tool the API asks about: `approval.tools["label/tool"]`, else `approval.tools["label/*"]`,
 * else always. `approval.default` (a rule for the agent's own tools) does not apply: the API only asks because the
 * MCP server's own `approval` said so, and that request is answered by a person unless a rule names the tool.
 */
export function mcpApprovalOption(
  settings: ApprovalSettings,
  serverLabel: string,
  tool: string,
): ToolApprovalOption {
  return (
    settings.tools?.[`${serverLabel}/${tool}`] ?? settings.tools?.[`${serverLabel}/*`] ?? "always"
  );
}

function safe(test: () => boolean): boolean {
  try {
    return Boolean(test());
  } catch {
    return true;
  }
}
