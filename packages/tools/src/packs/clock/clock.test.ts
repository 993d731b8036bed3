import { instantiateToolPack, type ToolDefinition } from "@parley/core";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { testContext } from "../../../test/tool-context.ts";
import clockPack, { createClockTools } from "./index.ts";

// Wednesday 2026-11-25 10:15:00 UTC.
const NOW = Date.UTC(2026, 10, 25, 10, 15, 0);

type Described = { timeZone: string; iso: string; date: string; weekday: string; spoken: string };
type Out = Described & { days: number; from: Described; to: Described };

function tools(options: Parameters<typeof createClockTools>[0] = {}) {
  const list = createClockTools({ now: () => NOW, ...options });
  return Object.fromEntries(list.map((t) => [t.name, t])) as Record<string, ToolDefinition>;
}

async function call(
  tool: ToolDefinition | undefined,
  args: Record<string, unknown>,
  variables = {},
) {
  if (!tool) throw new Error("no such tool");
  return (await tool.run(args as never, testContext({ variables }).ctx)) as Out;
}

describe("current_time", () => {
  it("gives the time in the pack's zone, with offset, weekday and a spoken form", async () => {
    const out = await call(tools({ timeZone: "Europe/Paris" }).current_time, {});
    expect(out.iso).toBe("2026-11-25T11:15:00+01:00");
    expect(out.weekday).toBe("Wednesday");
    expect(out.spoken).toContain("November 25, 2026");
  });

  it("accepts a city for the zone and falls back to the session variable timeZone", async () => {
    const t = tools();
    expect((await call(t.current_time, { timeZone: "Tokyo" })).iso).toBe(
      "2026-11-25T19:15:00+09:00",
    );
    expect((await call(t.current_time, { timeZone: "new york" })).timeZone).toBe(
      "America/New_York",
    );
    expect((await call(t.current_time, {}, { timeZone: "Asia/Kolkata" })).iso).toBe(
      "2026-11-25T15:45:00+05:30",
    );
  });

  it("rejects an unknown zone with a clear error", async () => {
    await expect(call(tools().current_time, { timeZone: "Atlantis" })).rejects.toMatchObject({
      code: "invalid_time_zone",
    });
  });
});

describe("add_to_date", () => {
  it("adds calendar days across a daylight-saving change without moving the wall clock", async () => {
    // 2027-03-27 12:00 in Paris, +1 day crosses the spring-forward night: still 12:00, now +02:00.
    const out = await call(tools({ timeZone: "Europe/Paris" }).add_to_date, {
      date: "2027-03-27T12:00",
      amount: 1,
      unit: "days",
    });
    expect(out.iso).toBe("2027-03-28T12:00:00+02:00");
  });

  it("adds elapsed hours across a daylight-saving change", async () => {
    const out = await call(tools({ timeZone: "Europe/Paris" }).add_to_date, {
      date: "2027-03-28T01:30",
      amount: 2,
      unit: "hours",
    });
    expect(out.iso).toBe("2027-03-28T04:30:00+02:00");
  });

  it("clamps month arithmetic to the end of the month", async () => {
    const t = tools({ timeZone: "UTC" });
    expect(
      (await call(t.add_to_date, { date: "2028-01-31", amount: 1, unit: "months" })).date,
    ).toBe("2028-02-29");
    expect((await call(t.add_to_date, { date: "2028-02-29", amount: 1, unit: "years" })).date).toBe(
      "2029-02-28",
    );
    expect(
      (await call(t.add_to_date, { date: "2026-12-25", amount: -2, unit: "months" })).date,
    ).toBe("2026-10-25");
  });

  it("counts from now by default", async () => {
    const out = await call(tools({ timeZone: "UTC" }).add_to_date, { amount: 3, unit: "weeks" });
    expect(out.date).toBe("2026-12-16");
    expect(out.weekday).toBe("Wednesday");
  });

  it("refuses a date that does not exist", async () => {
    await expect(
      call(tools({ timeZone: "UTC" }).add_to_date, { date: "2026-02-30", amount: 1, unit: "days" }),
    ).rejects.toMatchObject({ code: "invalid_date" });
  });
});

describe("wall times that are skipped or repeated by a clock change", () => {
  it("moves a time in the spring-forward gap to after the gap, and picks the earlier of a repeated time", async () => {
    const t = tools({ timeZone: "America/New_York" });
    const gap = await call(t.add_to_date, { date: "2027-03-14T02:30", amount: 0, unit: "days" });
    expect(gap.iso).toBe("2027-03-14T03:30:00-04:00");
    const repeated = await call(t.add_to_date, {
      date: "2026-11-01T01:30",
      amount: 0,
      unit: "days",
    });
    expect(repeated.iso).toBe("2026-11-01T01:30:00-04:00");
    const hourLater = await call(t.add_to_date, {
      date: "2026-11-01T01:30",
      amount: 60,
      unit: "minutes",
    });
    expect(hourLater.iso).toBe("2026-11-01T01:30:00-05:00");
  });
});

describe("days_between and convert_time", () => {
  it("counts calendar days from today in the agent's zone", async () => {
    const t = tools({ timeZone: "Pacific/Kiritimati" }); // UTC+14: already the 26th there
    expect((await call(t.days_between, { to: "2026-12-25" })).days).toBe(29);
    expect((await call(tools({ timeZone: "UTC" }).days_between, { to: "2026-12-25" })).days).toBe(
      30,
    );
    expect((await call(t.days_between, { from: "2027-04-15", to: "2027-03-01" })).days).toBe(-45);
  });

  it("converts a time of day between zones", async () => {
    const out = await call(tools().convert_time, {
      time: "3pm",
      from: "Europe/Paris",
      to: "America/New_York",
    });
    expect(out.from.iso).toBe("2026-11-25T15:00:00+01:00");
    expect(out.to.iso).toBe("2026-11-25T09:00:00-05:00");
  });
});

describe("the clock pack", () => {
  it("instantiates with defaults applied and its origin stamped", async () => {
    const list = await instantiateToolPack(
      clockPack,
      { timeZone: "Europe/Paris" },
      { baseDir: "/tmp" },
    );
    expect(list.map((t) => t.name)).toEqual([
      "current_time",
      "add_to_date",
      "days_between",
      "convert_time",
    ]);
    for (const tool of list) {
      expect(tool.origin).toEqual({
        kind: "pack",
        pack: "@parley/tools/clock@0.1.0",
        file: undefined,
      });
      expect(tool.approval).toBe("never");
      expect(tool.timeout).toBe("2s");
      expect(tool.examples?.length).toBeGreaterThan(0);
    }
  });

  it("reports wrong options at their path", async () => {
    await expect(
      instantiateToolPack(clockPack, { timeZone: "Mars/Olympus" }, { baseDir: "/tmp" }),
    ).rejects.toMatchObject({
      code: "pack_options_invalid",
      issues: [{ path: ["timeZone"] }],
    });
    await expect(
      instantiateToolPack(clockPack, { zone: "UTC" }, { baseDir: "/tmp" }),
    ).rejects.toMatchObject({
      code: "pack_options_invalid",
    });
  });

  it("has examples whose arguments satisfy the tool's own parameters", () => {
    for (const tool of createClockTools()) {
      for (const example of tool.examples ?? []) {
        expect(() => (tool.parameters as z.ZodType).parse(example.args)).not.toThrow();
      }
    }
  });
});

describe("daylight-saving edges in several zones", () => {
  const t = tools({ now: () => Date.UTC(2026, 8, 5, 16, 0, 0) }); // Saturday 2026-09-05, noon in Santiago
  const iso = async (name: string, args: Record<string, unknown>) =>
    (await call(t[name], args)).iso;

  it("Sydney (southern hemisphere): a day after 02:30 lands in the spring gap and moves past it", async () => {
    expect(
      await iso("add_to_date", {
        date: "2026-10-03T02:30",
        amount: 1,
        unit: "days",
        timeZone: "Australia/Sydney",
      }),
    ).toBe("2026-10-04T03:30:00+11:00");
    expect(
      await iso("add_to_date", {
        date: "2027-04-03T12:00",
        amount: 1,
        unit: "days",
        timeZone: "Australia/Sydney",
      }),
    ).toBe("2027-04-04T12:00:00+10:00");
  });

  it("Lord Howe Island: a half-hour shift (02:15 does not exist; 02:45 +11:00 does)", async () => {
    const out = await call(t.convert_time, {
      time: "2026-10-04T02:15",
      from: "Australia/Lord_Howe",
      to: "UTC",
    });
    expect(out.from.iso).toBe("2026-10-04T02:45:00+11:00");
    expect(out.to.iso).toBe("2026-10-03T15:45:00+00:00");
  });

  it("London: a repeated 01:30 is the earlier one, and an hour later the clock shows 01:30 again", async () => {
    const from = { date: "2026-10-25T01:30", timeZone: "Europe/London" };
    expect(await iso("add_to_date", { ...from, amount: 0, unit: "hours" })).toBe(
      "2026-10-25T01:30:00+01:00",
    );
    expect(await iso("add_to_date", { ...from, amount: 1, unit: "hours" })).toBe(
      "2026-10-25T01:30:00+00:00",
    );
  });

  it("Santiago: 'tomorrow' starts at 01:00 on the day its midnight is skipped", async () => {
    expect(
      await iso("add_to_date", {
        date: "tomorrow",
        amount: 0,
        unit: "days",
        timeZone: "America/Santiago",
      }),
    ).toBe("2026-09-06T01:00:00-03:00");
  });

  it("New York: calendar days across the spring-forward night are whole days", async () => {
    expect(
      (
        await call(t.days_between, {
          from: "2027-03-13",
          to: "2027-03-15",
          timeZone: "America/New_York",
        })
      ).days,
    ).toBe(2);
  });
});
