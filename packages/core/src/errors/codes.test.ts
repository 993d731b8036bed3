import { describe, expect, expectTypeOf, it } from "vitest";
import { ApprovalError, type ApprovalErrorCode } from "../approval/errors.ts";
import { CompileError, type CompileErrorCode } from "../compile/compile-error.ts";
import { SessionError, type SessionErrorCode } from "../runtime/errors.ts";
import { isParleyError, type ParleyError } from "./parley-error.ts";

// The type checks here run in `pnpm typecheck` (tsc): a code outside its class's union does not compile.
describe("error codes", () => {
  it("each error class's code is its closed union, and the error is still a ParleyError", () => {
    const error = new SessionError("session_closed", "the session is closed");
    expectTypeOf(error.code).toEqualTypeOf<SessionErrorCode>();
    expectTypeOf(new CompileError("unknown_variable", "x").code).toEqualTypeOf<CompileErrorCode>();
    expectTypeOf(
      new ApprovalError("approval_webhook_failed", "x").code,
    ).toEqualTypeOf<ApprovalErrorCode>();
    const root: ParleyError = error;
    expect(root.code).toBe("session_closed");
    expect(isParleyError(error)).toBe(true);
    // @ts-expect-error "no_such_code" is not a SessionError code
    expect(new SessionError("no_such_code", "x").code).toBe("no_such_code");
  });
});
