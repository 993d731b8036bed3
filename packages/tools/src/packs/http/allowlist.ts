import { ParleyError } from "@parley/core/pack";

/**
 * Hosts a pack may call, as written in the agent file: `api.example.com` (its default port only: 443 for https, 80
 * for http), `api.example.com:8443` (that port only), `*.example.com` (any subdomain, not the apex, default port).
 * Compared case-insensitively. A host-only entry does not open every service on the machine (`:6379`, `:2375`).
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

  /** True when `url`'s host is allowed on its port (the entry's port, or the scheme's default port). */
  allows(url: URL): boolean {
    const host = url.hostname.toLowerCase();
    const port = url.port || (url.protocol === "https:" ? "443" : "80");
    // URL drops a default port (`https://h:443` has port ""), so an empty port is the scheme's default.
    const defaultPort = url.port === "";
    return this.#entries.some(
      (e) =>
        (e.wildcard ? host.endsWith(`.${e.host}`) : host === e.host) &&
        (e.port === undefined ? defaultPort : e.port === port),
    );
  }

  toString(): string {
    return this.#entries
      .map((e) => `${e.wildcard ? "*." : ""}${e.host}${e.port ? `:${e.port}` : ""}`)
      .join(", ");
  }
}
