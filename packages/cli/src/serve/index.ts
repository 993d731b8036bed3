// @parley/cli/serve: the handlers of `agent serve`, to mount in your own server.

export { AgentCatalog } from "./agents.ts";
export { createServeApp, type ServeApp, type ServeAppOptions } from "./app.ts";
export {
  readServeConfig,
  type ServeConfig,
  ServeConfigError,
  serveConfigSchema,
} from "./config.ts";
export { callLogger, jsonLines, type LogLine, type LogWriter } from "./log.ts";
export type { CallSummary } from "./summary.ts";
