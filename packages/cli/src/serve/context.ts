import type { AgentCatalog } from "./agents.ts";
import type { CallManager } from "./calls.ts";
import type { ServeConfig } from "./config.ts";
import type { LogWriter } from "./log.ts";
import type { RateLimiter, SeenIds } from "./rate-limit.ts";
import type { RealtimeApi } from "./realtime-api.ts";

/** What the serve handlers share. */
export interface ServeContext {
  config: ServeConfig;
  agents: AgentCatalog;
  api: RealtimeApi;
  calls: CallManager;
  log: LogWriter;
  webhookSecret: string | undefined;
  maxCalls: number;
  draining: boolean;
  seenWebhooks: SeenIds;
  seenCalls: SeenIds;
  clientSecretLimiter: RateLimiter;
  /** Webhook received → accept answered, per call (the bench reads it). */
  onAccepted?: ((ms: number) => void) | undefined;
}
