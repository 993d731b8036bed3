/** Does a response's instructions ask for a greeting? */
export function asksForGreeting(instructions: string | undefined): boolean {
  return !!instructions && /\b(greet|greeting|say hello|introduce yourself)\b/i.test(instructions);
}

/**
 * The greeting the session's instructions imply: a quoted greeting if they give one (`Greeting: "…"`,
 * `greet the caller with "…"`), else "Hi, I'm <who they say you are>. How can I help you today?".
 */
export function greetingFrom(sessionInstructions: string): string {
  const quoted = /greet(?:ing)?\b[^"“\n]{0,40}["“]([^"”]+)["”]/i.exec(sessionInstructions);
  if (quoted) return quoted[1] as string;
  const who = /\byou are ([A-Z][^.!?\n]*)/i.exec(sessionInstructions)?.[1]?.trim();
  if (who && /^[A-Z]/.test(who) && who.length <= 80)
    return `Hi, I'm ${who}. How can I help you today?`;
  return "Hello! How can I help you today?";
}

/** The persona's name, if the instructions give one ("You are Ada, …"). */
export function personaName(sessionInstructions: string): string | undefined {
  return /\b[Yy]ou are ([A-Z][a-z]+)\b/.exec(sessionInstructions)?.[1];
}
