import { compileCondition, instantiateToolPack, type ToolDefinition } from "@parley/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHttpServer } from "../../../test/http-server.ts";
import { testContext } from "../../../test/tool-context.ts";
import httpPack from "./index.ts";

let server: Awaited<ReturnType<typeof startHttpServer>>;

beforeAll(async () => {
  server = await startHttpServer(async (req, res, body) => {
    const url = new URL(req.url ?? "/", "http://x");
    if (url.pathname === "/v1/orders/42") {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ id: 42, status: "shipped", city: url.searchParams.get("city") }));
    } else if (url.pathname === "/v1/orders" && req.method === "POST") {
      res.statusCode = 201;
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ created: JSON.parse(body) }));
    } else if (url.pathname === "/v1/moved") {
      res.statusCode = 302;
      res.setHeader("location", "/v1/orders/42");
      res.end();
    } else if (url.pathname === "/v1/escape") {
      res.statusCode = 302;
      res.setHeader("location", `http://localhost:${server.port}/v1/orders/42`);
      res.end();
    } else if (url.pathname === "/v1/slow") {
      await new Promise((r) => setTimeout(r, 2_000));
      res.end("{}");
    } else if (url.pathname === "/v1/huge") {
      res.setHeader("content-type", "application/json");
      // Streamed without content-length: the limit must cut it off while reading.
      for (let i = 0; i < 100; i++) res.write(`${"x".repeat(1000)}`);
      res.end();
    } else {
      res.statusCode = 404;
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ error: "not found" }));
    }
  });
});
afterAll(() => server.close());

async function tool(options: Record<string, unknown>): Promise<ToolDefinition> {
  const [t] = await instantiateToolPack(httpPack, options, { baseDir: "/tmp" });
  if (!t) throw new Error("no tool");
  return t;
}

function base() {
  return { allow: [`127.0.0.1:${server.port}`], baseUrl: `${server.url}/v1` };
}

describe("http_request", () => {
  it("calls an allowed host and returns status and parsed JSON, with query parameters", async () => {
    const t = await tool(base());
    const out = await t.run({ url: "/orders/42", query: { city: "Paris" } }, testContext().ctx);
    expect(out).toEqual({
      status: 200,
      ok: true,
      body: { id: 42, status: "shipped", city: "Paris" },
    });
    expect(server.requests.at(-1)?.headers.accept).toBe("application/json");
  });

  it("returns a non-2xx answer as a result the model can explain", async () => {
    const t = await tool(base());
    expect(await t.run({ url: "/nothing" }, testContext().ctx)).toEqual({
      status: 404,
      ok: false,
      body: { error: "not found" },
    });
  });

  it("sends JSON bodies for allowed write methods, and needs approval for writes by default", async () => {
    const t = await tool({ ...base(), methods: ["GET", "POST"] });
    const out = await t.run(
      { method: "POST", url: "/orders", body: { item: "tea" } },
      testContext().ctx,
    );
    expect(out).toEqual({ status: 201, ok: true, body: { created: { item: "tea" } } });
    expect(server.requests.at(-1)?.headers["content-type"]).toBe("application/json");
    // The rule is the scheduler's own condition language: writes need a yes, reads (and the GET default) do not.
    const needsApproval = compileCondition((t.approval as { when: string }).when);
    expect(needsApproval({ args: { method: "POST" } })).toBe(true);
    expect(needsApproval({ args: { method: "DELETE" } })).toBe(true);
    expect(needsApproval({ args: { method: "GET" } })).toBe(false);
    expect(needsApproval({ args: {} })).toBe(false);
  });

  it("refuses methods the agent file did not allow", async () => {
    const t = await tool(base());
    await expect(
      t.run({ method: "DELETE", url: "/orders/42" }, testContext().ctx),
    ).rejects.toMatchObject({
      code: "method_not_allowed",
    });
  });

  it("refuses hosts outside the allowlist, including through a redirect", async () => {
    const t = await tool(base());
    const before = server.requests.length;
    await expect(t.run({ url: "http://example.com/x" }, testContext().ctx)).rejects.toMatchObject({
      code: "host_not_allowed",
    });
    expect(server.requests.length).toBe(before);
    await expect(t.run({ url: "/escape" }, testContext().ctx)).rejects.toMatchObject({
      code: "host_not_allowed",
    });
    expect((await t.run({ url: "/moved" }, testContext().ctx)) as { status: number }).toMatchObject(
      { status: 200 },
    );
  });

  it("keeps credential headers on same-origin redirects and drops them on cross-origin ones", async () => {
    const other = await startHttpServer((_req, res) => {
      res.statusCode = 302;
      res.setHeader("location", `${server.url}/v1/orders/42`);
      res.end();
    });
    try {
      const t = await tool({
        ...base(),
        allow: [`127.0.0.1:${server.port}`, `127.0.0.1:${other.port}`],
        headers: { authorization: "Bearer s3cret", "x-trace": "t1", "x-jwt": "eyJ.x.y" },
      });
      await t.run({ url: "/moved" }, testContext().ctx);
      expect(server.requests.at(-1)?.headers.authorization).toBe("Bearer s3cret");
      const out = await t.run({ url: `${other.url}/start` }, testContext().ctx);
      expect(out).toMatchObject({ status: 200 });
      expect(other.requests.at(-1)?.headers.authorization).toBe("Bearer s3cret");
      expect(server.requests.at(-1)?.url).toBe("/v1/orders/42");
      // Only safe headers cross origins (an allowlist): credentials under any name stay behind.
      expect(server.requests.at(-1)?.headers.authorization).toBeUndefined();
      expect(server.requests.at(-1)?.headers["x-jwt"]).toBeUndefined();
      expect(server.requests.at(-1)?.headers["x-trace"]).toBeUndefined();
      expect(server.requests.at(-1)?.headers.accept).toBe("application/json");
    } finally {
      await other.close();
    }
  });

  it("gives up after the timeout", async () => {
    const t = await tool({ ...base(), timeout: "150ms" });
    await expect(t.run({ url: "/slow" }, testContext().ctx)).rejects.toMatchObject({
      code: "http_timeout",
    });
  });

  it("stops when the call is aborted", async () => {
    const t = await tool(base());
    const controller = new AbortController();
    const running = t.run({ url: "/slow" }, testContext({ signal: controller.signal }).ctx);
    setTimeout(() => controller.abort(new Error("cancelled by the user")), 50);
    await expect(running).rejects.toThrow("cancelled by the user");
  });

  it("cuts off a response larger than maxBytes", async () => {
    const t = await tool({ ...base(), maxBytes: 10_000 });
    await expect(t.run({ url: "/huge" }, testContext().ctx)).rejects.toMatchObject({
      code: "response_too_large",
    });
  });

  it("sends auth headers but never logs them in clear", async () => {
    const t = await tool({
      ...base(),
      headers: { authorization: "Bearer s3cr3t-token-value", "x-auth-token": "tok-123456" },
    });
    const { ctx, logs } = testContext();
    await t.run({ url: "/orders/42", query: { api_key: "k-999999" } }, ctx);
    const sent = server.requests.at(-1);
    expect(sent?.headers.authorization).toBe("Bearer s3cr3t-token-value");
    expect(sent?.headers["x-auth-token"]).toBe("tok-123456");
    const logged = JSON.stringify(logs);
    expect(logged).toContain("/v1/orders/42");
    expect(logged).not.toContain("s3cr3t");
    expect(logged).not.toContain("tok-123456");
    expect(logged).not.toContain("k-999999");
  });

  it("reports an unreachable host as a network error", async () => {
    const closed = await startHttpServer(() => {});
    await closed.close();
    const t = await tool({ allow: [`127.0.0.1:${closed.port}`] });
    await expect(t.run({ url: `${closed.url}/x` }, testContext().ctx)).rejects.toMatchObject({
      code: "http_network",
    });
  });
});

describe("http pack options", () => {
  it("requires an allowlist and reports bad entries at their path", async () => {
    await expect(instantiateToolPack(httpPack, {}, { baseDir: "/tmp" })).rejects.toMatchObject({
      code: "pack_options_invalid",
      issues: [{ path: ["allow"] }],
    });
    await expect(
      instantiateToolPack(
        httpPack,
        { allow: ["ok.example.com", "bad host/"] },
        { baseDir: "/tmp" },
      ),
    ).rejects.toMatchObject({
      issues: [{ path: ["allow", 1] }],
    });
    await expect(
      instantiateToolPack(
        httpPack,
        { allow: ["a.example.com"], baseUrl: "https://b.example.com" },
        { baseDir: "/tmp" },
      ),
    ).rejects.toMatchObject({ issues: [{ path: ["baseUrl"] }] });
  });

  it("matches wildcard and port entries", async () => {
    const { HostAllowlist } = await import("./allowlist.ts");
    const allow = new HostAllowlist(["*.example.com", "api.test:8443"]);
    expect(allow.allows(new URL("https://a.example.com/x"))).toBe(true);
    expect(allow.allows(new URL("https://example.com/x"))).toBe(false);
    expect(allow.allows(new URL("https://evil-example.com/x"))).toBe(false);
    expect(allow.allows(new URL("https://api.test:8443/"))).toBe(true);
    expect(allow.allows(new URL("https://api.test/"))).toBe(false);
    // A host-only entry is the default port only: not every service on the machine.
    const hostOnly = new HostAllowlist(["api.example.com", "*.corp.example"]);
    expect(hostOnly.allows(new URL("https://api.example.com/x"))).toBe(true);
    expect(hostOnly.allows(new URL("https://api.example.com:443/x"))).toBe(true);
    expect(hostOnly.allows(new URL("http://api.example.com/x"))).toBe(true);
    expect(hostOnly.allows(new URL("https://api.example.com:6379/x"))).toBe(false);
    expect(hostOnly.allows(new URL("http://api.example.com:443/x"))).toBe(false);
    expect(hostOnly.allows(new URL("https://a.corp.example:2375/x"))).toBe(false);
  });
});
