import { createRequire } from "node:module";
import type * as OpenTelemetry from "@opentelemetry/api";

let api: typeof OpenTelemetry | undefined;

/**
 * The OpenTelemetry API, loaded when a session is first observed (~50 ms of CPU to load its ~45 CommonJS files):
 * importing `@parley/core` (`agent validate`, a session without telemetry) never pays for it. It is the same module
 * an application's `import "@opentelemetry/api"` gets, so providers registered there are the ones used here.
 */
export function otel(): typeof OpenTelemetry {
  api ??= createRequire(import.meta.url)("@opentelemetry/api") as typeof OpenTelemetry;
  return api;
}
