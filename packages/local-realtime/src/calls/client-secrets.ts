import { randomBytes } from "node:crypto";
import { applySessionUpdate, defaultSession, type SessionObject } from "../session-state.ts";

type Json = Record<string, unknown>;

interface StoredSecret {
  expiresAt: number;
  session: Json | undefined;
}

/** Client secrets (`ek_…`) minted by `POST /v1/realtime/client_secrets`: each may start sessions until it expires. */
export class ClientSecrets {
  readonly #secrets = new Map<string, StoredSecret>();
  #seq = 0;

  constructor(private readonly nowSeconds: () => number = () => Math.floor(Date.now() / 1000)) {}

  /** Mints a secret; returns the API's response body (value, expires_at, the effective session). */
  mint(seconds: number, session: Json | undefined, modelName: string) {
    const value = `ek_${randomBytes(16).toString("hex")}`;
    const now = this.nowSeconds();
    const expiresAt = now + seconds;
    this.#secrets.set(value, { expiresAt, session });
    const id = `sess_${(++this.#seq).toString(36).padStart(21, "0")}`;
    const base = defaultSession(id, String(session?.model ?? modelName), now);
    const effective: SessionObject = session ? applySessionUpdate(base, session) : base;
    return { value, expires_at: expiresAt, session: { ...effective, expires_at: 0 } };
  }

  /**
   * The session config baked into a secret: `undefined` for an unknown key (an API key, not a secret),
   * `"expired"` once it can no longer start sessions.
   */
  lookup(value: string): { session: Json | undefined } | "expired" | undefined {
    const found = this.#secrets.get(value);
    if (!found) return undefined;
    if (this.nowSeconds() >= found.expiresAt) return "expired";
    return { session: found.session };
  }
}
