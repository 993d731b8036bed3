import { createWriteStream, mkdirSync, type WriteStream } from "node:fs";
import { dirname } from "node:path";
import { redact } from "../log/redact.ts";

/** One line of the approval audit log. */
export interface AuditEntry {
  /** ISO 8601 wall-clock time of the decision. */
  time: string;
  session: string;
  call_id: string;
  kind: "function" | "mcp";
  tool: string;
  server_label?: string;
  /** Secrets redacted. */
  arguments: unknown;
  decision: "approved" | "rejected";
  /** The approver's name, or `policy` when no approval was needed, `timeout` when nobody answered in time. */
  approver: string;
  /** Who decided, when the approver says (a reviewer id). */
  by?: string;
  reason?: string;
}

/**
 * Appends approval decisions to a file as JSON lines, in the order they were made. Secrets in arguments are
 * redacted before anything is written. `close()` flushes every pending line.
 *
 * @example
 * const audit = new AuditLog("./logs/approvals.jsonl");
 * audit.append({ time: new Date().toISOString(), session: "s1", call_id: "c1", kind: "function",
 *   tool: "refund", arguments: { amount: 250 }, decision: "approved", approver: "terminal" });
 * await audit.close();
 */
export class AuditLog {
  readonly path: string;
  #stream: WriteStream | undefined;
  #error: Error | undefined;

  constructor(path: string) {
    this.path = path;
  }

  append(entry: AuditEntry): void {
    if (!this.#stream) {
      mkdirSync(dirname(this.path), { recursive: true });
      // One append-mode stream: writes are queued in call order, so lines land in the order decisions were made.
      this.#stream = createWriteStream(this.path, { flags: "a" });
      this.#stream.on("error", (error) => {
        this.#error = error;
      });
    }
    this.#stream.write(`${JSON.stringify(redact(entry))}\n`);
  }

  /** Flushes and closes the file. Rejects if any write failed. */
  async close(): Promise<void> {
    const stream = this.#stream;
    this.#stream = undefined;
    if (stream) await new Promise<void>((resolve) => stream.end(resolve));
    if (this.#error) throw this.#error;
  }
}
