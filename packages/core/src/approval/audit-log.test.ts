import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { AuditLog } from "./audit-log.ts";

const entry = (i: number) => ({
  time: new Date(Date.UTC(2026, 10, 25, 10, 0, i)).toISOString(),
  session: "s",
  call_id: `c${i}`,
  kind: "function" as const,
  tool: "refund",
  arguments: { amount: i, api_key: "sk-shouldnotappear1234", note: "Bearer abcdefghijklmnop" },
  decision: i % 2 ? ("approved" as const) : ("rejected" as const),
  approver: "terminal",
});

describe("the audit log", () => {
  it("appends JSON lines in decision order to an existing file, creating folders, secrets redacted, flushed on close", async () => {
    const dir = mkdtempSync(join(tmpdir(), "parley-audit-"));
    const path = join(dir, "nested", "deeper", "approvals.jsonl");
    const log = new AuditLog(path);
    for (let i = 0; i < 500; i++) log.append(entry(i));
    await log.close();
    const again = new AuditLog(path);
    again.append(entry(500));
    await again.close();
    const text = readFileSync(path, "utf8");
    expect(text).not.toContain("sk-shouldnotappear");
    expect(text).not.toContain("abcdefghijklmnop");
    const lines = text
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.call_id)).toEqual(Array.from({ length: 501 }, (_, i) => `c${i}`));
    expect(lines[3].arguments).toEqual({ amount: 3, api_key: "[redacted]", note: "[redacted]" });
  });

  it("throws at the first append when its folder cannot be made, and rejects on close when the file cannot be written", async () => {
    const dir = mkdtempSync(join(tmpdir(), "parley-audit-"));
    const blocker = join(dir, "file");
    writeFileSync(blocker, "not a folder");
    expect(() => new AuditLog(join(blocker, "approvals.jsonl")).append(entry(1))).toThrow(
      /ENOTDIR|EEXIST/,
    );
    const isADirectory = new AuditLog(dir);
    isADirectory.append(entry(1));
    await expect(isADirectory.close()).rejects.toThrow(/EISDIR/);
  });
});
