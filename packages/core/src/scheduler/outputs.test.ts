import { describe, expect, it } from "vitest";
import { outputText } from "./outputs.ts";

describe("errors sent to the model", () => {
  it("are redacted in every shape and capped, however large the message", () => {
    const message = `mcp server said: ${"stack frame\n".repeat(10_000)} authorization: basic dXNlcjpzZWNyZXQ= token=abc123secret`;
    const early =
      "lookup failed: AKIAIOSFODNN7EXAMPLE, x-access-key: wJalrXUtnFEMI, jwt eyJhbGciOiJI.eyJzdWIiOiIx.c2lnbmF0dXJl";
    for (const text of [message, early]) {
      const output = outputText({ state: "failed", code: "tool_error", message: text });
      expect(JSON.parse(output).error.message.length).toBeLessThan(2100);
      expect(output).not.toMatch(
        /dXNlcjpzZWNyZXQ|abc123secret|AKIAIOSFODNN7EXAMPLE|wJalrXUtnFEMI|eyJhbGci/,
      );
      expect(JSON.parse(output).error.code).toBe("tool_error");
    }
  });
});
