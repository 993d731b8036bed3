export { GenAi, Parley, PROVIDER } from "./attributes.ts";
export { Instruments } from "./instruments.ts";
export {
  defaultTelemetry,
  INSTRUMENTATION_SCOPE,
  Telemetry,
  type TelemetryOptions,
} from "./telemetry.ts";
export { type ToolSpanShape, toolSpanShape } from "./tool-kind.ts";
