import type { CallInfo } from "../../src/console/protocol.ts";

export interface CallPickerProps {
  calls: CallInfo[];
  watching: string | null;
  follow: boolean;
  pick(callId: string | null): void;
}

const NEWEST = "";

/**
 * `agent serve --console`: the calls to watch (live ones, then recently ended ones, newest first). "Newest call"
 * follows each new call as it comes; picking one stays on it.
 */
export function CallPicker({ calls, watching, follow, pick }: CallPickerProps) {
  const live = calls.filter((c) => c.state === "live").length;
  return (
    <label class="call-picker">
      <span>
        Call <span class="muted">({live} live)</span>
      </span>
      <select
        data-testid="call-picker"
        value={follow ? NEWEST : (watching ?? NEWEST)}
        onChange={(e) => {
          const value = (e.target as HTMLSelectElement).value;
          pick(value === NEWEST ? null : value);
        }}
      >
        <option value={NEWEST}>Newest call (follow new calls)</option>
        {calls.map((c) => (
          <option key={c.id} value={c.id} data-state={c.state}>
            {describe(c)}
          </option>
        ))}
      </select>
    </label>
  );
}

function describe(c: CallInfo): string {
  const at = new Date(c.startedAt).toLocaleTimeString();
  const state = c.state === "live" ? "live" : `ended${c.reason ? ` (${c.reason})` : ""}`;
  return `${at} · ${c.agent} · ${c.kind.toUpperCase()} · ${c.id.slice(-6)} · ${state}`;
}
