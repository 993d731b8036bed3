import { Fragment } from "preact";
import type { ConsoleState } from "../state.ts";
import { cost, duration } from "./format.ts";

/** Cost so far (an estimate offline), latency of the last turn, tokens, agent audio received. */
export function MetersPanel({ state }: { state: ConsoleState }) {
  const m = state.meters;
  const tokens = Object.entries(m.tokens).filter(([, n]) => n > 0);
  const total = tokens.reduce((sum, [, n]) => sum + n, 0);
  return (
    <section class="panel meters" aria-labelledby="meters-title" data-testid="meters">
      <h2 id="meters-title">Meters</h2>
      <dl>
        <dt>{state.costIsEstimate ? "Cost (estimate, nothing billed)" : "Cost"}</dt>
        <dd data-testid="meter-cost" data-usd={m.costUsd}>
          {cost(m.costUsd, state.costIsEstimate)}
        </dd>
        <dt>First audio{m.turn ? ` (turn ${m.turn})` : ""}</dt>
        <dd data-testid="meter-first-audio" data-ms={m.firstAudioMs ?? ""}>
          {duration(m.firstAudioMs)}
        </dd>
        <dt title="to the first words of the real answer (not a filler), without the time spent at approval cards">
          Real answer{m.approvalMs ? " (approval time excluded)" : ""}
        </dt>
        <dd data-testid="meter-first-answer" data-ms={m.firstAnswerMs ?? ""}>
          {duration(m.firstAnswerMs)}
        </dd>
        <dt>Tokens</dt>
        <dd
          data-testid="meter-tokens"
          data-total={total}
          title={tokens.map(([k, n]) => `${k} ${n}`).join(", ")}
        >
          {total}
        </dd>
        <dt>Agent audio</dt>
        <dd data-testid="meter-audio" data-bytes={m.audioBytes}>
          {(m.audioBytes / 48_000).toFixed(1)} s
        </dd>
      </dl>
    </section>
  );
}

/** The agent: name, model, voice, tools, variables; the last reload (what changed, or where the save is wrong). */
export function AgentPanel({ state }: { state: ConsoleState }) {
  const a = state.agent;
  if (!a) return null;
  const vars = Object.entries(a.variables);
  return (
    <section class="panel agent" aria-labelledby="agent-title" data-testid="agent-panel">
      <h2 id="agent-title">Agent</h2>
      <dl>
        <dt>Name</dt>
        <dd data-testid="agent-name">{a.name}</dd>
        <dt>File</dt>
        <dd>
          <code>{a.file}</code>
        </dd>
        <dt>Model · voice</dt>
        <dd data-testid="agent-voice">
          {a.model} · {a.voice ?? "default voice"}
        </dd>
      </dl>
      <h3>Tools</h3>
      <ul data-testid="agent-tools" class="agent-tools">
        {a.tools.length === 0 && <li class="empty">none</li>}
        {a.tools.map((t) => (
          <li key={t.name} data-tool={t.name} title={t.description}>
            <code>{t.name}</code>
            {t.approval && (
              <span class="badge" title={`needs approval ${t.approval}`}>
                approval {t.approval === "always" ? "" : t.approval}
              </span>
            )}
          </li>
        ))}
      </ul>
      {vars.length > 0 && (
        <>
          <h3>Variables</h3>
          <dl data-testid="agent-variables" class="vars">
            {vars.map(([k, v]) => (
              <Fragment key={k}>
                <dt>{k}</dt>
                <dd>{v || "—"}</dd>
              </Fragment>
            ))}
          </dl>
        </>
      )}
      <ReloadStatus state={state} />
    </section>
  );
}

function ReloadStatus({ state }: { state: ConsoleState }) {
  const r = state.reload;
  if (!r) return <p class="hint">Saving the agent's files reloads it here.</p>;
  if (r.ok)
    return (
      <p class="reload ok" data-testid="reload-status" data-ok="true" role="status">
        Reloaded in {r.ms} ms: {r.summary}
      </p>
    );
  return (
    <div class="reload failed" data-testid="reload-status" data-ok="false" role="alert">
      <p>The saved file is invalid; the previous version keeps running.</p>
      <ul data-testid="reload-problems">
        {r.problems.map((p) => (
          <li key={`${p.file}:${p.line}:${p.col}:${p.code}`}>
            <code>
              {p.file}:{p.line}:{p.col}
            </code>{" "}
            {p.severity}[{p.code}] {p.message}
          </li>
        ))}
      </ul>
      <details>
        <summary>Full report</summary>
        <pre>{r.text}</pre>
      </details>
    </div>
  );
}

/** Problems: server errors, refused messages, what the browser would not do (no microphone). */
export function ErrorPanel({ errors }: { errors: string[] }) {
  if (errors.length === 0) return null;
  return (
    <section
      class="panel errors"
      aria-labelledby="errors-title"
      data-testid="error-panel"
      role="alert"
    >
      <h2 id="errors-title">Problems</h2>
      <ul>
        {errors.map((e, i) => (
          <li key={i} data-testid="error-line">
            {e}
          </li>
        ))}
      </ul>
    </section>
  );
}
