// The lean door of @parley/core for tool and pack modules (and the CLI's validate and compile path): what a pack
// needs to define tools, with nothing of the session runtime or the scheduler. `@parley/core` re-exports all of it;
// importing this entry instead keeps `agent validate` from loading code it never runs (~35 ms of a cold start).
// Import from specific files, not folder indexes: an index evaluates every module it re-exports from.

export { z } from "zod";
export { isParleyError, ParleyError } from "./errors/parley-error.ts";
export { redact, redactString } from "./log/redact.ts";
export { compileArgsValidator } from "./scheduler/validate-args.ts";
export { durationSchema } from "./schema/duration.ts";
export { bridgedToolOverrideSchema } from "./schema/mcp.ts";
export {
  type AnyToolDefinition,
  type DurationInput,
  defineTool,
  instantiateToolPack,
  type JsonSchema,
  type ToolApprovalOption,
  type ToolContext,
  type ToolDefinition,
  type ToolLogger,
  type ToolPack,
  type ToolPackDefaults,
  type ToolPackEnv,
  type ToolPackFactory,
  type ToolSessionControl,
} from "./tool/index.ts";
export { readCapped } from "./transport/read-capped.ts";
