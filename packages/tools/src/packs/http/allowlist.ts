import { ParleyError } from "@parley/core";

/**
 * Hosts a pack may call, as written in the agent file: `api.example.com` (any port), `api.example.com:8443`
 * (that port only), `*.example.com` (any subdomain, not the apex). Compared case-insensitively.
 */
export class HostAllowlist {
  readonly #entries: { host: string; port?: string; wildcard: boolean }[];

  constructor(entries: string[]) {
    this.#entries = entries.map((raw) => {
      const text = raw.trim().toLowerCase();
      const wildcard = text.startsWith("*.");
      const bare = wildcard ? text.slice(2) : text;
      // "[::1]:8080" keeps its brackets; "host:port" splits on the last colon.
      const m = /^(\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?)(?::(\d{1,5}))?$/.exec(bare);
      if (!m?.[1])
        throw new ParleyError(
          "invalid_allowlist",
          `"${raw}" is not a host: use "api.example.com", "api.example.com:8443" or "*.example.com"`,
        );
      return m[2] ? { host: m[1], port: m[2], wildcard } : { host: m[1], wildcard };
    });
  }

  /** True when `url`'s host (and port, if the entry names one) is allowed. */
  allows(url: URL): boolean {
    const host = url.hostname.toLowerCase();
    const port = url.port || (url.protocol === "https:" ? "443" : "80");
    return this.#entries.some(
      (e) =>
        (e.wildcard ? host.endsWith(`.${e.host}`) : host === e.host) &&
        (e.port === undefined || e.port === port),
    );
  }

  toString(): string {
    return this.#entries
      .map((e) => `${e.wildcard ? "*." : ""}${e.host}${e.port ? `:${e.port}` : ""}`)
      .join(", ");
  }
}
