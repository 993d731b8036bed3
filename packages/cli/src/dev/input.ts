/** What one line typed in `agent dev` asks for. */
export type DevInput =
  | { kind: "say"; text: string }
  | { kind: "image"; path: string; text?: string }
  | { kind: "interrupt" }
  | { kind: "call"; tool: string; args: Record<string, unknown> }
  | { kind: "vars" }
  | { kind: "reload" }
  | { kind: "help" }
  | { kind: "quit" }
  | { kind: "empty" }
  | { kind: "invalid"; message: string };

/** The commands, as shown by `/help` and in the banner. */
export const devCommands: [string, string][] = [
  ["/image <path> [text]", "send an image (with optional text)"],
  ["/interrupt", "cut the agent off mid-answer"],
  ["/call <tool> <json>", "run a tool as if the model called it"],
  ["/vars", "show the session variables"],
  ["/reload", "reload the agent file now"],
  ["/quit", "end the session (or Ctrl-D)"],
];

/**
 * Parses one input line. Anything not starting with `/` is said to the agent; `//text` sends a literal `/text`.
 *
 * @example
 * parseDevInput('/call get_weather {"city":"Paris"}') // { kind: "call", tool: "get_weather", args: { city: "Paris" } }
 */
export function parseDevInput(line: string): DevInput {
  const text = line.trim();
  if (text === "") return { kind: "empty" };
  if (text.startsWith("//")) return { kind: "say", text: text.slice(1) };
  if (!text.startsWith("/")) return { kind: "say", text };
  const [, command = "", rest = ""] = /^\/(\S+)\s*([\s\S]*)$/.exec(text) ?? [];
  switch (command.toLowerCase()) {
    case "image": {
      const m = /^("([^"]+)"|'([^']+)'|(\S+))\s*([\s\S]*)$/.exec(rest);
      if (!m) return { kind: "invalid", message: "usage: /image <path> [text]" };
      const path = (m[2] ?? m[3] ?? m[4]) as string;
      return m[5] ? { kind: "image", path, text: m[5] } : { kind: "image", path };
    }
    case "interrupt":
      return { kind: "interrupt" };
    case "call": {
      const m = /^(\S+)\s*([\s\S]*)$/.exec(rest);
      if (!m) return { kind: "invalid", message: "usage: /call <tool> <json arguments>" };
      const json = (m[2] as string).trim() || "{}";
      let args: unknown;
      try {
        args = JSON.parse(json);
      } catch (error) {
        return {
          kind: "invalid",
          message: `/call ${m[1]}: the arguments are not JSON (${(error as Error).message})`,
        };
      }
      if (!args || typeof args !== "object" || Array.isArray(args)) {
        return {
          kind: "invalid",
          message: `/call ${m[1]}: the arguments must be a JSON object, like {"city":"Paris"}`,
        };
      }
      return { kind: "call", tool: m[1] as string, args: args as Record<string, unknown> };
    }
    case "vars":
    case "variables":
      return { kind: "vars" };
    case "reload":
      return { kind: "reload" };
    case "help":
    case "?":
      return { kind: "help" };
    case "quit":
    case "exit":
    case "q":
      return { kind: "quit" };
    default:
      return {
        kind: "invalid",
        message: `unknown command /${command}: try /help (start with // to say a line beginning with /)`,
      };
  }
}
