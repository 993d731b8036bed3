import { describe, expect, it } from "vitest";
import { ApprovalConditionError, compileCondition } from "./condition.ts";

const check = (src: string, args: unknown, variables: unknown = {}) =>
  compileCondition(src)({ args, variables });

describe("approval conditions", () => {
  it("compares arguments with numbers and strings, strictly", () => {
    expect(check("args.amount > 100", { amount: 250 })).toBe(true);
    expect(check("args.amount > 100", { amount: 100 })).toBe(false);
    expect(
      check("args.amount >= 100 && args.currency == 'EUR'", { amount: 100, currency: "EUR" }),
    ).toBe(true);
    // Different kinds of value cannot be compared: the condition fails closed (asks).
    expect(check("args.amount > 100", { amount: "250" })).toBe(true);
    expect(check('args.amount == "5"', { amount: 5 })).toBe(true);
    expect(check("args.a != null", { a: 0 })).toBe(true);
  });

  it("supports !, ||, parentheses, nested paths, indexes and in", () => {
    expect(check("!(args.user.vip || args.total < 50)", { user: { vip: false }, total: 80 })).toBe(
      true,
    );
    expect(check("args.items[0].sku == 'X1'", { items: [{ sku: "X1" }] })).toBe(true);
    expect(check('args["country"] in ["US", "CA"]', { country: "CA" })).toBe(true);
    expect(check("'admin' in args.roles", { roles: ["user", "admin"] })).toBe(true);
    expect(check("'@corp.com' in args.email", { email: "a@corp.com" })).toBe(true);
    expect(check("'force' in args", { force: true })).toBe(true);
    expect(check("args.items.length > 2", { items: [1, 2, 3] })).toBe(true);
    expect(
      check("variables.tier == 'free' && args.nights > 7", { nights: 8 }, { tier: "free" }),
    ).toBe(true);
  });

  it("fails closed when a value is of another kind than the condition compares with", () => {
    for (const amount of ["5000", [5000], { amount: 5000 }, true, "10"]) {
      expect(check("args.amount > 50", { amount }), JSON.stringify(amount)).toBe(true);
      expect(check("!(args.amount <= 50)", { amount }), JSON.stringify(amount)).toBe(true);
      expect(check("args.amount > 50 && args.currency == 'GBP'", { amount, currency: "GBP" })).toBe(
        true,
      );
    }
    expect(check("args.country in ['US', 'CA']", { country: ["US"] })).toBe(true);
    expect(check("args.currency != 'GBP'", { currency: ["GBP"] })).toBe(true);
    // Unknown on one side of && is settled by a false on the other; of || by a true.
    expect(
      check("args.amount > 50 && args.currency == 'EUR'", { amount: "x", currency: "GBP" }),
    ).toBe(false);
    expect(check("args.amount > 50 || args.vip == true", { amount: "x", vip: true })).toBe(true);
    // Same kinds still compare normally; a missing field is not over anything.
    expect(check("args.amount > 50", { amount: 10 })).toBe(false);
    expect(check("args.amount > 50", {})).toBe(false);
  });

  it("reads missing fields as undefined and never walks the prototype", () => {
    expect(check("args.missing.deeper > 1", {})).toBe(false);
    expect(check("args.constructor == null", {})).toBe(false);
    expect(check("args.constructor", {})).toBe(false);
    expect(check("args.__proto__", {})).toBe(false);
  });

  it("rejects anything that is not the small language, with the column", () => {
    const bad: [string, number][] = [
      ["process.exit(1)", 1],
      ["args.amount > ", 15],
      ["args.a = 1", 8],
      ["args.a > 1 2", 12],
      ["args.a`x`", 7],
    ];
    for (const [src, col] of bad) {
      let error: unknown;
      try {
        compileCondition(src);
      } catch (e) {
        error = e;
      }
      expect(error, src).toBeInstanceOf(ApprovalConditionError);
      expect((error as ApprovalConditionError).code).toBe("invalid_approval_condition");
      expect((error as ApprovalConditionError).column, src).toBe(col);
    }
  });
});
