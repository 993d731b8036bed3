const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/**
 * Deterministic ids shaped like the API's (`item_` + 21 base-62 characters): the same run of a test yields the
 * same ids, which keeps transcripts and snapshots stable. Each connection gets its own generator, seeded by its
 * connection number so ids never collide between sessions of one server.
 */
export class IdGenerator {
  private seq = 0;

  constructor(private readonly connection: number) {}

  next(
    prefix:
      | "item"
      | "resp"
      | "event"
      | "call"
      | "sess"
      | "conv"
      | "mcpr"
      | "mcpl"
      | "mcp"
      | "msg"
      | "fc",
  ): string {
    this.seq++;
    return `${prefix}_${base62(this.connection, 8)}${base62(this.seq, 13)}`;
  }
}

function base62(value: number, width: number): string {
  let out = "";
  let n = value;
  while (n > 0) {
    out = ALPHABET[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out.padStart(width, "0");
}
