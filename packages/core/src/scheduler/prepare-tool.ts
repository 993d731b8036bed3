import {
  type ApprovalSettings,
  type CompiledApprovalRule,
  compileApprovalRule,
  toolApprovalOption,
} from "../approval/policy.ts";
import { ParleyError } from "../errors/index.ts";
import { toMs } from "../tool/duration.ts";
import type { DurationInput, ToolDefinition, ToolFillerOptions } from "../tool/index.ts";
import type { DuplicatePolicy } from "./duplicates.ts";
import { type ApprovalFillerOptions, type FillerPlan, resolveFillerPlan } from "./filler-plan.ts";
import { type ArgsValidator, compileArgsValidator } from "./validate-args.ts";

/** Default time a tool may run before its call times out. */
export const DEFAULT_TOOL_TIMEOUT_MS = 30_000;

/** A tool with everything the scheduler needs compiled once at setup, so a call costs a map lookup and a validation. */
export interface PreparedTool {
  definition: ToolDefinition;
  name: string;
  validate: ArgsValidator;
  timeoutMs: number;
  runFillers: FillerPlan;
  approvalFillers: FillerPlan;
  approval: CompiledApprovalRule;
  concurrency: number;
  onInterrupt: "continue" | "cancel";
  duplicate: DuplicatePolicy;
}

export interface AgentToolDefaults {
  filler?: ToolFillerOptions | false;
  approvalFiller?: ApprovalFillerOptions | false;
  approval?: ApprovalSettings;
  timeout?: DurationInput;
}

/** Compiles one tool; throws a `ParleyError` naming the tool when an option is invalid. */
export function prepareTool(definition: ToolDefinition, defaults: AgentToolDefaults): PreparedTool {
  const { name } = definition;
  const runFillers = resolveFillerPlan(definition.filler, defaults.filler);
  const approvalFillers: FillerPlan =
    defaults.approvalFiller === false
      ? { ...runFillers, enabled: false }
      : {
          ...runFillers,
          // Waiting for a person is worth saying even for a tool whose own fillers are off.
          enabled: true,
          max: Math.max(runFillers.max, 1),
          lines: defaults.approvalFiller?.lines,
          generate: defaults.approvalFiller?.generate ?? !defaults.approvalFiller?.lines,
        };
  const concurrency = definition.concurrency ?? Number.POSITIVE_INFINITY;
  if (!(concurrency >= 1))
    throw new ParleyError("invalid_tool_option", `tool ${name}: concurrency must be 1 or more`);
  return {
    definition,
    name,
    validate: compileArgsValidator(name, definition.parameters),
    timeoutMs: toMs(
      definition.timeout ?? defaults.timeout ?? DEFAULT_TOOL_TIMEOUT_MS,
      `tool ${name}: timeout`,
    ),
    runFillers,
    approvalFillers,
    approval: compileApprovalRule(
      toolApprovalOption(defaults.approval ?? {}, name, definition.approval),
      defaults.approval,
    ),
    concurrency,
    onInterrupt: definition.onInterrupt ?? "continue",
    duplicate: definition.duplicate ?? "allow",
  };
}
