import { describe, expect, it } from "vitest";
import { argumentsFrom, type ParamSchema } from "./arguments.ts";
import { spokenNumbers } from "./numbers.ts";
import { speakAboutOutput } from "./speak-output.ts";

// A Wednesday, local time: what "Friday" and "tomorrow" are read against.
const today = new Date("2027-03-03T10:00:00");

const bookRoom: ParamSchema = {
  type: "object",
  properties: {
    room_type: { type: "string", enum: ["single", "double", "suite"] },
    check_in: { type: "string", description: "Arrival date, YYYY-MM-DD" },
    nights: { type: "integer" },
    guest_name: { type: "string", description: "Name on the booking" },
  },
};
const example = {
  room_type: "double",
  check_in: "2027-03-12",
  nights: 3,
  guest_name: "Ada Lovelace",
};

describe("argumentsFrom", () => {
  it("reads every argument the utterance says, by the schema, instead of the example's", () => {
    expect(
      argumentsFrom(
        "a suite for two nights from Friday for Grace Hopper",
        bookRoom,
        today,
        example,
      ),
    ).toEqual({
      room_type: "suite",
      check_in: "2027-03-05",
      nights: 2,
      guest_name: "Grace Hopper",
    });
  });

  it("falls back to the example only for what is not said", () => {
    expect(argumentsFrom("the single for 4 nights please", bookRoom, today, example)).toEqual({
      room_type: "single",
      check_in: "2027-03-12",
      nights: 4,
      guest_name: "Ada Lovelace",
    });
  });

  it("reads amounts in words, time zones of cities, and times said in words", () => {
    const refund: ParamSchema = { properties: { amount_gbp: { type: "number" } } };
    expect(argumentsFrom("refund thirty eight pounds", refund, today, { amount_gbp: 30 })).toEqual({
      amount_gbp: 38,
    });
    const zone: ParamSchema = {
      properties: { timeZone: { type: "string", description: "IANA time zone" } },
    };
    expect(
      argumentsFrom("What time is it in London?", zone, today, { timeZone: "Asia/Tokyo" }),
    ).toEqual({
      timeZone: "Europe/London",
    });
    const slot: ParamSchema = {
      properties: { time: { type: "string", pattern: "^\\d{2}:\\d{2}$" } },
    };
    expect(argumentsFrom("can I come at half past nine", slot, today, {})).toEqual({
      time: "09:30",
    });
  });
});

describe("spokenNumbers", () => {
  it("reads digits and number words, not articles", () => {
    expect(
      spokenNumbers("two hundred and fifty euros for 2 nights, a single night").map((n) => n.value),
    ).toEqual([250, 2, 1]);
  });
});

describe("speakAboutOutput", () => {
  it("says results and errors as a person would, never as JSON", () => {
    expect(speakAboutOutput('{"ending":true}')).toBe("Done.");
    expect(
      speakAboutOutput(
        '{"error":{"code":"timeout","message":"the booking system is not answering"}}',
      ),
    ).toBe("Sorry, that didn't work: the booking system is not answering.");
    expect(speakAboutOutput('{"booked":false,"reason":"no suite room is free"}')).toBe(
      "Sorry, that didn't go through: no suite room is free.",
    );
    expect(
      speakAboutOutput('{"spoken":"Wednesday, March 3 at 10:00","iso":"2027-03-03T10:00"}'),
    ).toBe("Wednesday, March 3 at 10:00");
  });
});
