import type { Step, StepAction } from "./schema.ts";

/** A parsed step (its action's schema already passed) as the runner's `Step`: `kind` says which action. */
export function normalise(action: StepAction, s: Record<string, unknown>): Step {
  const within = s.within as number | undefined;
  switch (action) {
    case "user":
      return { kind: "user", text: s.user as string, audio: s.audio === true };
    case "image":
      return {
        kind: "image",
        path: s.image as string,
        ...(s.text ? { text: s.text as string } : {}),
      };
    case "expect_tool":
      return {
        kind: "expect_tool",
        name: s.expect_tool as string,
        args: s.args as Record<string, unknown>,
        within,
      };
    case "expect_output":
      return {
        kind: "expect_output",
        name: s.expect_output as string,
        output: s.output,
        state: (s.state as "completed" | undefined) ?? "completed",
      };
    case "expect_delegation":
      return {
        kind: "expect_delegation",
        name: s.expect_delegation as string,
        args: s.args as Record<string, unknown>,
        calls: (
          (s.calls as Record<string, Record<string, unknown> | null>[] | undefined) ?? []
        ).map((c) => {
          const [tool, args] = Object.entries(c)[0] ?? ["", null];
          return args ? { tool, args } : { tool };
        }),
        ...(s.answer ? { answer: s.answer as string } : {}),
        ...(s.reply ? { reply: s.reply as string } : {}),
        within,
      };
    case "expect_filler":
      return {
        kind: "expect_filler",
        contains: s.expect_filler === true ? undefined : (s.expect_filler as string),
        within,
      };
    case "approve":
    case "deny":
      return { kind: action, tool: s[action] === true ? undefined : (s[action] as string) };
    case "expect_say": {
      const m = s.expect_say as string | { contains?: string; regex?: string };
      const match = typeof m === "string" ? { contains: m } : m;
      return { kind: "expect_say", ...match, reply: s.reply as string | undefined, within };
    }
    case "expect_no_tool":
      return {
        kind: "expect_no_tool",
        tool: s.expect_no_tool === true ? undefined : (s.expect_no_tool as string),
      };
    case "fault":
      return { kind: "fault", fault: s.fault as "transcription" | "none" };
    case "expect_mode":
      return { kind: "expect_mode", mode: s.expect_mode as "text" | "audio" };
  }
}

/** A short human label for a step, used by reporters: `expect_tool book_room {"nights":2}`. */
export function describeStep(step: Step): string {
  switch (step.kind) {
    case "user":
      return `user${step.audio ? " (audio)" : ""}: ${JSON.stringify(step.text)}`;
    case "image":
      return `image ${step.path}`;
    case "expect_tool":
      return `expect_tool ${step.name}${step.args ? ` ${JSON.stringify(step.args)}` : ""}`;
    case "expect_delegation":
      return `expect_delegation ${step.name}${step.calls.length ? ` → ${step.calls.map((c) => c.tool).join(", ")}` : ""}`;
    case "expect_output":
      return `expect_output ${step.name}${step.state !== "completed" ? ` ${step.state}` : ""}${step.output !== undefined ? ` ${JSON.stringify(step.output)}` : ""}`;
    case "expect_filler":
      return `expect_filler${step.contains ? ` ${JSON.stringify(step.contains)}` : ""}`;
    case "approve":
    case "deny":
      return `${step.kind}${step.tool ? ` ${step.tool}` : ""}`;
    case "expect_say":
      return `expect_say ${step.regex ? `/${step.regex}/i` : JSON.stringify(step.contains)}`;
    case "expect_no_tool":
      return `expect_no_tool${step.tool ? ` ${step.tool}` : ""}`;
    case "fault":
      return `fault ${step.fault}`;
    case "expect_mode":
      return `expect_mode ${step.mode}`;
  }
}
