import { createHash, timingSafeEqual } from "node:crypto";
import { PrometheusExporter, PrometheusSerializer } from "@opentelemetry/exporter-prometheus";
import { MeterProvider } from "@opentelemetry/sdk-metrics";
import { INSTRUMENTATION_SCOPE, Telemetry } from "@parley/core";

/** Who may read `/metrics`: a bearer token when one is set, else only clients on this machine. */
export interface MetricsAccess {
  /** Required as `Authorization: Bearer <token>` (default PARLEY_METRICS_TOKEN). Never logged. */
  token?: string | undefined;
}

const LOOPBACK = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);

/**
 * The metrics of one serve process: its calls' telemetry goes to a meter provider of its own (not the global one,
 * so an app's own OpenTelemetry setup is left alone), read by the Prometheus exporter when `/metrics` is scraped.
 * Traces go to the global tracer provider: whatever SDK the process registered (none: no-ops).
 */
export class ServeMetrics {
  readonly telemetry: Telemetry;
  readonly #exporter = new PrometheusExporter({ preventServerStart: true });
  readonly #serializer = new PrometheusSerializer();
  readonly #provider: MeterProvider;
  readonly #token: string | undefined;

  constructor(access: MetricsAccess, calls: () => { size: number; draining: boolean }) {
    this.#token = access.token || undefined;
    this.#provider = new MeterProvider({ readers: [this.#exporter] });
    this.telemetry = new Telemetry({ meterProvider: this.#provider });
    const gauge = this.#provider
      .getMeter(INSTRUMENTATION_SCOPE)
      .createObservableGauge("parley.serve.calls", {
        description: "Calls this serve process holds (reserved or running).",
        unit: "{call}",
      });
    gauge.addCallback((result) => {
      const now = calls();
      result.observe(now.size, { "parley.serve.draining": now.draining });
    });
  }

  /** The answer to `GET /metrics`: the Prometheus text format, or 401/403 for a caller not allowed to read it. */
  async respond(headers: Headers, remoteAddress: string | undefined): Promise<Response> {
    const refusal = this.#refusal(headers, remoteAddress);
    if (refusal) return refusal;
    const { resourceMetrics } = await this.#exporter.collect();
    return new Response(this.#serializer.serialize(resourceMetrics), {
      headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8" },
    });
  }

  shutdown(): Promise<void> {
    return this.#provider.shutdown();
  }

  #refusal(headers: Headers, remoteAddress: string | undefined): Response | undefined {
    if (this.#token) {
      const given = /^Bearer (.+)$/i.exec(headers.get("authorization") ?? "")?.[1] ?? "";
      if (sameSecret(given, this.#token)) return undefined;
      return Response.json(
        {
          error: "unauthorized",
          message: "GET /metrics needs Authorization: Bearer <PARLEY_METRICS_TOKEN>",
        },
        { status: 401, headers: { "www-authenticate": "Bearer" } },
      );
    }
    if (remoteAddress && LOOPBACK.has(remoteAddress)) return undefined;
    return Response.json(
      {
        error: "forbidden",
        message:
          "/metrics answers only this machine unless PARLEY_METRICS_TOKEN is set (then send it as a bearer token)",
      },
      { status: 403 },
    );
  }
}

/** Compares digests, so neither the length nor the content of the token leaks through timing. */
function sameSecret(given: string, expected: string): boolean {
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}
