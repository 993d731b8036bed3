import { z } from "zod";
import { durationSchema } from "./duration.ts";

const onTimeout = z
  .enum(["reject", "approve"])
  .meta({ description: "What happens when nobody answers in time." });

/**
 * One tool's approval rule: `never`, `always`, or a condition on the call's arguments (`when`, an expression over
 * `args`, e.g. `args.nights > 7`), with who approves and what a timeout does.
 *
 * @example
 * approvalSchema.parse({ when: "args.amount > 100", timeout: "30s", onTimeout: "reject" })
 */
export const approvalSchema = z.union([
  z.enum(["never", "always"]),
  z.strictObject({
    when: z
      .string()
      .min(1)
      .meta({ description: "Needs approval when this expression over `args` is true." }),
    timeout: durationSchema.optional(),
    onTimeout: onTimeout.optional(),
    approver: z
      .string()
      .min(1)
      .optional()
      .meta({ description: "Who approves (an approver name)." }),
  }),
]);

/** The agent-wide `approval:` policy: a default rule, who approves, the timeout, and per-tool rules. */
export const approvalPolicySchema = z.strictObject({
  default: approvalSchema
    .optional()
    .meta({ description: "The rule for tools without their own (default never)." }),
  approver: z
    .string()
    .min(1)
    .optional()
    .meta({ description: "Who approves by default (e.g. console, webhook)." }),
  timeout: durationSchema
    .optional()
    .meta({ description: "How long to wait for a decision (default 60s)." }),
  onTimeout: onTimeout.optional(),
  tools: z
    .record(z.string(), approvalSchema)
    .optional()
    .meta({ description: "Per-tool rules, by tool name." }),
});

export type ApprovalRule = z.output<typeof approvalSchema>;
export type ApprovalPolicy = z.output<typeof approvalPolicySchema>;
