import { instantiateToolPack, type ToolDefinition } from "@parley/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHttpServer } from "../../../test/http-server.ts";
import { testContext } from "../../../test/tool-context.ts";
import httpPack from "./index.ts";

let server: Awaited<ReturnType<typeof startHttpServer>>;

beforeAll(async () => {
  server = await startHttpServer((req, res, body) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const redirect = (status: number, to: string) => {
      res.statusCode = status;
      res.setHeader("location", to);
      res.end();
    };
    if (path === "/api/v1/see-other") return redirect(303, "/api/v1/echo");
    if (path === "/api/v1/found") return redirect(302, "/api/v1/echo");
    if (path === "/api/v1/moved") return redirect(301, "/api/v1/echo");
    if (path === "/api/v1/temporary") return redirect(307, "/api/v1/echo");
    res.setHeader("content-type", "application/json");
    res.end(
      JSON.stringify({
        method: req.method,
        path,
        body,
        contentType: req.headers["content-type"] ?? null,
      }),
    );
  });
});
afterAll(() => server.close());

async function tool(): Promise<ToolDefinition> {
  const [t] = await instantiateToolPack(
    httpPack,
    {
      allow: [`127.0.0.1:${server.port}`],
      baseUrl: `${server.url}/api/v1`,
      methods: ["GET", "POST", "PUT"],
    },
    { baseDir: "/tmp" },
  );
  if (!t) throw new Error("no tool");
  return t;
}

const echo = (out: unknown) => (out as { body: Record<string, unknown> }).body;

describe("http_request redirects", () => {
  it("a 303 becomes a GET without the body; so does a 301 or 302 after a POST", async () => {
    const t = await tool();
    for (const [url, method] of [
      ["/see-other", "POST"],
      ["/see-other", "PUT"],
      ["/found", "POST"],
      ["/moved", "POST"],
    ] as const) {
      const out = echo(await t.run({ method, url, body: { refund: 5000 } }, testContext().ctx));
      expect(out, `${method} ${url}`).toEqual({
        method: "GET",
        path: "/api/v1/echo",
        body: "",
        contentType: null,
      });
    }
  });

  it("a 307 repeats the request with its body, and a 302 after a PUT keeps the PUT", async () => {
    const t = await tool();
    const body = { item: "tea" };
    expect(
      echo(await t.run({ method: "POST", url: "/temporary", body }, testContext().ctx)),
    ).toEqual({
      method: "POST",
      path: "/api/v1/echo",
      body: '{"item":"tea"}',
      contentType: "application/json",
    });
    expect(
      echo(await t.run({ method: "PUT", url: "/found", body }, testContext().ctx)),
    ).toMatchObject({ method: "PUT", body: '{"item":"tea"}' });
  });
});

describe("http_request baseUrl", () => {
  it("confines paths under the baseUrl: no ../, no //host, no encoded dots or slashes", async () => {
    const t = await tool();
    const before = server.requests.length;
    for (const url of [
      "../../ok",
      "/../../ok",
      "../v2/echo",
      "//evil.example/x",
      "%2e%2e/%2e%2e/ok",
      "..%2f..%2fok",
      "a/..\\..\\..\\ok",
    ]) {
      await expect(t.run({ url }, testContext().ctx), url).rejects.toMatchObject({
        code: expect.stringMatching(/^(path_outside_base|invalid_url)$/),
      });
    }
    expect(server.requests.length).toBe(before);
    expect(echo(await t.run({ url: "/orders/../echo" }, testContext().ctx))).toMatchObject({
      path: "/api/v1/echo",
    });
    expect(echo(await t.run({ url: "echo" }, testContext().ctx))).toMatchObject({
      path: "/api/v1/echo",
    });
  });
});
