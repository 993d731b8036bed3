import type { ToolContext, ToolSessionControl } from "@parley/core";

/** A ToolContext for calling a tool directly in a test, recording what the tool reports. */
export function testContext(
  overrides: Partial<ToolContext> & { session?: ToolSessionControl } = {},
) {
  const progress: string[] = [];
  const logs: { level: string; message: string; data?: unknown }[] = [];
  const log = (level: string) => (message: string, data?: unknown) => {
    logs.push({ level, message, data });
  };
  const ctx: ToolContext = {
    signal: new AbortController().signal,
    progress: (message) => progress.push(message),
    variables: {},
    log: { debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") },
    callId: "call_test",
    ...overrides,
  };
  return { ctx, progress, logs };
}
