import type { CallRecord, CallRegistry } from "./registry.ts";

export type SidebandCheck =
  | { ok: true; call: CallRecord }
  | { ok: false; status: number; code: string; message: string };

/**
 * Whether a WebSocket may attach to a call by `?call_id=`: the call must exist and be accepted (a ringing SIP call
 * has no session yet; an ended one has none any more).
 */
export function checkSideband(calls: CallRegistry, callId: string): SidebandCheck {
  const call = calls.get(callId);
  if (!call || call.state === "ended")
    return {
      ok: false,
      status: 404,
      code: "call_id_not_found",
      message: `Call with id '${callId}' not found.`,
    };
  if (call.state === "ringing")
    return {
      ok: false,
      status: 400,
      code: "call_not_accepted",
      message: `Call '${callId}' has not been accepted yet: accept it with POST /v1/realtime/calls/${callId}/accept first.`,
    };
  return { ok: true, call };
}
