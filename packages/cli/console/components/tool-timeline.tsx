import { useEffect, useState } from "preact/hooks";
import type { ToolEntry } from "../state.ts";
import { duration } from "./format.ts";

export interface ToolTimelineProps {
  tools: ToolEntry[];
  decide(callId: string, approved: boolean): void;
  canApprove: boolean;
}

/** Each tool call: arguments, a running timer, fillers said meanwhile, progress, the approval card, the outcome. */
export function ToolTimeline({ tools, decide, canApprove }: ToolTimelineProps) {
  const running = tools.some((t) => t.output === undefined);
  const now = useTicker(running);
  return (
    <section class="panel tools" aria-labelledby="tools-title">
      <h2 id="tools-title">Tools</h2>
      <ol data-testid="tool-timeline" class="timeline">
        {tools.length === 0 && <li class="empty">No tool calls yet.</li>}
        {tools.map((t) => (
          <li
            key={t.callId}
            class={`tool ${t.output === undefined ? "running" : t.failed ? "failed" : "succeeded"}${t.parentCallId ? " nested" : ""}`}
            data-testid="tool-entry"
            data-call-id={t.callId}
            data-parent-call-id={t.parentCallId}
            data-tool={t.tool}
            data-state={t.state}
          >
            <div class="tool-head">
              <code class="tool-name">
                {t.parentCallId ? "↳ " : ""}
                {t.tool}
              </code>
              <span class="tool-state">{t.state}</span>
              <span class="tool-time" data-testid="tool-duration">
                {duration(t.ms ?? now - t.startedAt)}
              </span>
            </div>
            <pre class="args" data-testid="tool-arguments">
              {JSON.stringify(t.arguments, null, 1)}
            </pre>
            {t.fillers.map((f, i) => (
              <p key={i} class="filler" data-testid="tool-filler">
                filler ({f.phase}): {f.text ?? "…"}
              </p>
            ))}
            {t.progress.map((p, i) => (
              <p key={i} class="progress" data-testid="tool-progress">
                {p}
              </p>
            ))}
            {t.approval && <ApprovalCard entry={t} decide={decide} canApprove={canApprove} />}
            {t.output !== undefined && (
              <pre class={t.failed ? "output error" : "output"} data-testid="tool-output">
                {t.output}
              </pre>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}

function ApprovalCard({
  entry,
  decide,
  canApprove,
}: {
  entry: ToolEntry;
  decide: ToolTimelineProps["decide"];
  canApprove: boolean;
}) {
  const a = entry.approval;
  if (!a) return null;
  const pending = !a.decided;
  return (
    <div
      class={`approval ${pending ? "pending" : a.approved ? "approved" : "denied"}`}
      data-testid="approval-card"
      data-call-id={entry.callId}
      {...(pending ? { role: "alertdialog", "aria-label": `Approve ${entry.tool}?` } : {})}
    >
      <p>
        {pending ? "Needs approval" : a.approved ? "Approved" : "Denied"}: {a.reason}
      </p>
      {pending && canApprove && (
        <div class="buttons">
          <button
            type="button"
            class="approve"
            data-testid="approve-button"
            aria-label={`Approve ${entry.tool}`}
            onClick={() => decide(entry.callId, true)}
          >
            Approve
          </button>
          <button
            type="button"
            class="deny"
            data-testid="deny-button"
            aria-label={`Deny ${entry.tool}`}
            onClick={() => decide(entry.callId, false)}
          >
            Deny
          </button>
        </div>
      )}
    </div>
  );
}

/** The page clock, ticking every 100 ms while a call runs (the running timers). */
function useTicker(on: boolean): number {
  const [now, setNow] = useState(performance.now());
  useEffect(() => {
    if (!on) return;
    const timer = setInterval(() => setNow(performance.now()), 100);
    return () => clearInterval(timer);
  }, [on]);
  return on ? now : performance.now();
}
