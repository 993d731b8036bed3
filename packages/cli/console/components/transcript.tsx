import { useEffect, useRef } from "preact/hooks";
import type { Line } from "../state.ts";

const WHO: Record<Line["role"], string> = {
  user: "You",
  agent: "Agent",
  filler: "Agent (filler)",
  notice: "Parley",
};

/** The conversation, streaming; an ARIA live region so screen readers hear new lines as they complete. */
export function Transcript({ lines }: { lines: Line[] }) {
  const end = useRef<HTMLLIElement>(null);
  const count = lines.length;
  const lastText = lines.at(-1)?.text;
  useEffect(() => end.current?.scrollIntoView({ block: "end" }), [count, lastText]);
  return (
    <div
      class="transcript"
      data-testid="transcript"
      role="log"
      aria-live="polite"
      aria-label="Transcript"
    >
      <ol>
        {lines.length === 0 && <li class="empty">Say something, or type below.</li>}
        {lines.map((l) => (
          <li
            key={l.id}
            class={`line ${l.role}${l.done ? "" : " streaming"}${l.interrupted ? " interrupted" : ""}`}
            data-testid="transcript-line"
            data-role={l.role}
            data-item-id={l.id}
            data-done={String(l.done)}
            data-interrupted={String(l.interrupted)}
            aria-busy={!l.done}
          >
            <span class="who">{WHO[l.role]}</span>
            <span class="text">
              {l.image && <img src={l.image} alt="sent to the agent" class="thumb" />}
              {l.text}
              {l.interrupted && (
                <span class="cut" title="interrupted: what follows was not heard">
                  {" "}
                  — interrupted
                </span>
              )}
            </span>
          </li>
        ))}
        <li ref={end} class="end" aria-hidden="true" />
      </ol>
    </div>
  );
}
