import { describe, expect, it } from "vitest";
import { readSessionLog, SessionLogError } from "./read.ts";

const fixture = (name: string) =>
  new URL(`../../test/fixtures/session-log/${name}`, import.meta.url).pathname;

async function failure(file: string): Promise<SessionLogError> {
  const error = await readSessionLog(file).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(SessionLogError);
  return error as SessionLogError;
}

describe("reading a session log", () => {
  it("reports a line cut short by a crash at its file:line:col", async () => {
    const file = fixture("truncated.jsonl");
    const error = await failure(file);
    expect(error.code).toBe("log_malformed");
    expect(error.location).toMatchObject({ file, line: 3 });
    expect(error.message).toMatch(new RegExp(`^${file}:3:\\d+: the line is cut short`));
  });

  it("reports a line that is not JSON at its place, even with whole lines after it", async () => {
    const file = fixture("malformed.jsonl");
    const error = await failure(file);
    expect(error.code).toBe("log_malformed");
    expect(error.location).toEqual({ file, line: 3, col: 48 });
    expect(error.message).toBe(`${file}:3:48: not a JSON event`);
  });

  it("refuses a JSON-lines file that is not a session log", async () => {
    const error = await failure(fixture("not-a-log.jsonl"));
    expect(error.code).toBe("log_not_session_log");
    expect(error.location?.line).toBe(1);
  });

  it("reports a missing file without a stack trace's worth of detail", async () => {
    const error = await failure(fixture("missing.jsonl"));
    expect(error.code).toBe("log_unreadable");
    expect(error.message).toMatch(/cannot read the log \(ENOENT\)/);
  });
});
