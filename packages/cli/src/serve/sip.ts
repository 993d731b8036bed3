import type { LoadedAgent } from "@parley/core";
import type { ServeConfig } from "./config.ts";

export interface SipHeader {
  name: string;
  value: string;
}

/** The user part of a SIP or tel URI in a header value: `"Ada" <sip:+14155550100@host>;tag=1` → `+14155550100`. */
export function sipUser(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const match = /<?(?:sips?|tel):([^@;>]+)/i.exec(value);
  return match?.[1];
}

export function header(headers: readonly SipHeader[], name: string): string | undefined {
  const lower = name.toLowerCase();
  return headers.find((h) => h.name.toLowerCase() === lower)?.value;
}

export type Route = { agent: string } | { reject: number };

/** Which agent answers a call (or the SIP status to reject it with): the first matching route, else the default. */
export function routeCall(
  headers: readonly SipHeader[],
  config: ServeConfig,
  names: readonly string[],
): Route | undefined {
  const dialled = sipUser(header(headers, "To"));
  for (const route of config.routes ?? []) {
    if (route.number !== undefined && route.number !== dialled) continue;
    if (route.header && header(headers, route.header.name) !== route.header.value) continue;
    if (route.reject !== undefined) return { reject: route.reject };
    if (route.agent !== undefined) return { agent: route.agent };
  }
  const fallback = config.defaultAgent ?? names[0];
  return fallback ? { agent: fallback } : undefined;
}

/**
 * Session variables from the SIP INVITE, only those the agent declares: `caller_number` (From), `dialled_number`
 * (To), and the config's header → variable map. These are untrusted: anyone can put anything in a SIP header.
 */
export function sipVariables(
  headers: readonly SipHeader[],
  agent: LoadedAgent,
  map: ServeConfig["variables"] = {},
): Record<string, string> {
  const declared = new Set(Object.keys(agent.config.variables ?? {}));
  const out: Record<string, string> = {};
  const offer = (name: string, value: string | undefined) => {
    if (value !== undefined && declared.has(name)) out[name] = value;
  };
  offer("caller_number", sipUser(header(headers, "From")));
  offer("dialled_number", sipUser(header(headers, "To")));
  for (const [name, variable] of Object.entries(map)) offer(variable, header(headers, name));
  return out;
}
