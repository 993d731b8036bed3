import { describe, expect, it } from "vitest";
import { createLogger, type LogRecord, setLogSink } from "../log/index.ts";
import { outputText } from "../scheduler/outputs.ts";
import { loadAgent } from "./index.ts";

const file = new URL("../../test/fixtures/valid/env.agent.yaml", import.meta.url).pathname;

describe("values read from the environment by an agent file", () => {
  it("are masked by every redaction in the process once an agent read them, whatever their shape", async () => {
    // No secret shape and no secret key name: only its origin (the environment) makes it a secret.
    const token = "plainwords-from-the-env-7731";
    const region = "eu-north-quiet-9";
    const agent = await loadAgent(file, {
      env: { PARLEY_FIXTURE_CRM_TOKEN: token, PARLEY_FIXTURE_REGION: region },
    });
    expect(agent.config.mcp?.[0]?.authorization).toBe(`Bearer ${token}`);
    const lines: LogRecord[] = [];
    const previous = setLogSink((r) => lines.push(r));
    try {
      createLogger("parley:test").warn(`crm answered for ${token}`, { region });
    } finally {
      setLogSink(previous);
    }
    const toModel = outputText({
      state: "failed",
      code: "tool_error",
      message: `crm refused ${token} in ${region}`,
    });
    const text = JSON.stringify(lines) + toModel;
    expect(text).not.toContain(token);
    expect(text).not.toContain(region);
    expect(text).toContain("[redacted]");
  });
});
