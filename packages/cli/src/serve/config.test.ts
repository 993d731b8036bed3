import { describe, expect, it } from "vitest";
import { FIXTURES } from "../../test/helpers/serve.ts";
import { readServeConfig, ServeConfigError } from "./config.ts";

describe("the serve config", () => {
  it("reads routes, limits and agent paths (relative to the file)", () => {
    const config = readServeConfig(`${FIXTURES}serve.yaml`);
    expect(config.maxCalls).toBe(2);
    expect(config.agents).toEqual([`${FIXTURES}desk.agent.yaml`, `${FIXTURES}busy.agent.yaml`]);
    expect(config.routes?.[1]).toEqual({
      header: { name: "X-Blocked", value: "yes" },
      reject: 403,
    });
  });

  it("reports every problem at its file:line:col", () => {
    let error: unknown;
    try {
      readServeConfig(`${FIXTURES}bad-serve.yaml`);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ServeConfigError);
    const message = (error as Error).message;
    expect(message).toContain(`${FIXTURES}bad-serve.yaml:1:11: maxCalls:`);
    expect(message).toContain(
      `${FIXTURES}bad-serve.yaml:3:5: routes.0: a route has either agent or reject`,
    );
  });
});
