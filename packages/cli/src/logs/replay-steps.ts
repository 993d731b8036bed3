import type { SessionLogEvent } from "@parley/core";

type StepOut = Record<string, unknown>;
type MockOut = Record<string, unknown>;

/** An image the user sent, as its bytes and extension (from the data URL in the log). */
export interface RecordedImage {
  bytes: Buffer;
  ext: string;
}

/** What a session's events say a replay must do and expect. */
export interface ReplayParts {
  steps: StepOut[];
  /** Comment lines to put before the step at each index (after the step they follow). */
  comments: Map<number, string[]>;
  /** Per tool: its one mock, or its mocks call by call when the outputs differed. */
  mocks: Record<string, MockOut | MockOut[]>;
  /** The images the `image` steps name (`imagePath`'s paths), to be written beside the scenario. */
  images: { path: string; bytes: Buffer }[];
  /** Notes for the file's header. */
  notes: string[];
}

interface CallRun {
  tool: string;
  start?: number;
  filled?: boolean;
  mock?: MockOut;
}

/**
 * Walks a recorded session's events into scenario parts: user turns (speech, text, images) as steps, top-level tool
 * calls as `expect_tool` (the model's arguments), approvals, fillers, outcomes as `expect_output`, delegations as
 * `expect_delegation` (the text model's own calls with their arguments, its answer as the offline `reply`), and each
 * tool's outputs as mocks in the order its calls ran (one mock when they were all the same).
 *
 * @example
 * const { steps, mocks } = replayParts(log.events, (n, ext) => `abc123.image-${n}.${ext}`);
 */
export function replayParts(
  events: readonly SessionLogEvent[],
  imagePath: (n: number, ext: string) => string,
): ReplayParts {
  const parts: ReplayParts = { steps: [], comments: new Map(), mocks: {}, images: [], notes: [] };
  const { steps, comments } = parts;
  const note = (text: string) => {
    const at = steps.length - 1;
    if (at >= 0) comments.set(at, [...(comments.get(at) ?? []), text]);
  };
  // Calls that are delegations: any call something ran under, or one with delegation events.
  const delegations = new Set<string>();
  for (const e of events) {
    const parent = (e as { parentCallId?: string }).parentCallId;
    if (parent) delegations.add(parent);
    if (e.type === "delegation.step" || e.type === "delegation.done") delegations.add(e.callId);
  }
  const delegationSteps = new Map<string, StepOut & { calls?: Record<string, unknown>[] }>();
  const runs = new Map<string, CallRun>();
  const ranInOrder: string[] = [];
  const spoken = new Set<string>();
  const imageItems = new Set<string>();
  const pendingImages: (RecordedImage | undefined)[] = [];
  let started = false;
  let fillerFor: string | undefined; // the call the last filler was asked for
  for (const e of events) {
    const parent = (e as { parentCallId?: string }).parentCallId;
    switch (e.type) {
      case "client.event":
        if (e.event.type === "conversation.item.create") pendingImages.push(...imagesOf(e.event));
        break;
      case "item.done": {
        const item = e.item as { id: string; role?: string; image?: boolean; text: string };
        if (item.role !== "user" || !item.image) break;
        imageItems.add(item.id);
        started = true;
        const image = pendingImages.shift();
        const text = item.text.trim();
        if (!image) {
          parts.notes.push(
            `An image the user sent is not in the log; its turn is ${text ? "sent as text" : "left out"}.`,
          );
          if (text) steps.push({ user: text });
          break;
        }
        const path = imagePath(parts.images.length + 1, image.ext);
        parts.images.push({ path, bytes: image.bytes });
        steps.push({ image: path, ...(text ? { text } : {}) });
        break;
      }
      case "user.speech.started":
        spoken.add(e.itemId);
        break;
      case "user.transcript.done": {
        const text = e.transcript.trim();
        if (!text || imageItems.has(e.itemId)) break;
        started = true;
        steps.push(spoken.has(e.itemId) ? { user: text, audio: true } : { user: text });
        break;
      }
      case "tool.call":
        runs.set(e.callId, { tool: e.tool });
        if (!started) break;
        if (parent) {
          delegationSteps.get(parent)?.calls?.push({ [e.tool]: e.arguments ?? {} });
        } else if (delegations.has(e.callId)) {
          const step = { expect_delegation: e.tool, args: e.arguments ?? {}, calls: [] };
          delegationSteps.set(e.callId, step);
          steps.push(step);
        } else steps.push({ expect_tool: e.tool, args: e.arguments ?? {} });
        break;
      case "tool.state": {
        const run = runs.get(e.callId);
        if (e.to === "running" && run && run.start === undefined) {
          run.start = e.at;
          ranInOrder.push(e.callId);
        }
        break;
      }
      case "tool.filler": {
        const run = runs.get(e.callId);
        if (run) run.filled = true;
        fillerFor = e.callId;
        break;
      }
      case "approval.decided":
        if (started) steps.push(e.approved ? { approve: e.tool } : { deny: e.tool });
        break;
      case "tool.output": {
        const run = runs.get(e.callId);
        if (
          run &&
          !delegations.has(e.callId) &&
          (e.state === "completed" || e.state === "failed")
        ) {
          run.mock =
            e.state === "completed" ? { output: parsed(e.output) } : { error: errorOf(e.output) };
          // A filler was said over the call: its mock takes as long as the recorded run, so the filler is due again.
          if (run.filled && run.start !== undefined)
            run.mock.latency = `${Math.ceil(e.at - run.start)}ms`;
        }
        if (started && !parent) steps.push({ expect_output: e.tool, state: e.state });
        break;
      }
      case "delegation.done": {
        const step = delegationSteps.get(e.callId);
        if (!step) break;
        if (e.state === "answered" && e.answer.trim()) step.reply = e.answer.trim();
        else note(`${e.tool}'s text model did not answer (${e.state}): ${e.answer}`);
        break;
      }
      case "agent.transcript.done": {
        const text = e.transcript.trim().replace(/\s+/g, " ");
        if (!text || !started) break;
        // A filler over a delegation waited on the text model, which answers at once offline: not expected again.
        if (e.kind === "filler" && !(fillerFor && delegations.has(fillerFor)))
          steps.push({ expect_filler: true });
        note(`${e.kind === "answer" ? "agent" : e.kind} said: ${text}`);
        break;
      }
      case "handoff":
        note(`handed off from ${e.from} to ${e.to}`);
        break;
    }
  }
  for (const step of delegationSteps.values()) if (step.calls?.length === 0) delete step.calls;
  parts.mocks = mocksInRunOrder(ranInOrder.map((id) => runs.get(id) as CallRun));
  return parts;
}

/** Each tool's mocks in the order its calls ran: one mock when every call returned the same. */
function mocksInRunOrder(runs: readonly CallRun[]): Record<string, MockOut | MockOut[]> {
  const byTool = new Map<string, MockOut[]>();
  for (const run of runs) {
    if (!run.mock) continue;
    byTool.set(run.tool, [...(byTool.get(run.tool) ?? []), run.mock]);
  }
  const out: Record<string, MockOut | MockOut[]> = {};
  for (const [tool, list] of byTool) {
    const first = JSON.stringify(list[0]);
    out[tool] = list.every((m) => JSON.stringify(m) === first) ? (list[0] as MockOut) : list;
  }
  return out;
}

/** The images of a `conversation.item.create` the client sent (data URLs decoded). */
function imagesOf(event: Record<string, unknown>): (RecordedImage | undefined)[] {
  const item = event.item as { role?: string; content?: { type?: string; image_url?: unknown }[] };
  if (item?.role !== "user" || !Array.isArray(item.content)) return [];
  return item.content
    .filter((p) => p?.type === "input_image")
    .map((p) => {
      const match = /^data:image\/(png|jpeg|gif|webp);base64,([A-Za-z0-9+/=]+)$/.exec(
        String(p.image_url ?? ""),
      );
      if (!match) return undefined;
      return {
        ext: match[1] === "jpeg" ? "jpg" : (match[1] as string),
        bytes: Buffer.from(match[2] as string, "base64"),
      };
    });
}

/** A tool output as the model got it (JSON text), back as a value for the mock. */
function parsed(output: string): unknown {
  try {
    return JSON.parse(output);
  } catch {
    return output;
  }
}

/** A failed call's output is `{"error": {code, message}}` (the scheduler's outputs.ts); the mock fails with that message. */
function errorOf(output: string): string {
  const value = parsed(output) as { error?: { message?: unknown } | string } | string | null;
  if (value && typeof value === "object") {
    const error = value.error;
    if (typeof error === "string") return error;
    if (error && typeof error.message === "string") return error.message;
  }
  return typeof value === "string" ? value : JSON.stringify(value);
}
