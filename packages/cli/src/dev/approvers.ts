import type { Approver, LoadedAgent } from "@parley/core";

/**
 * The same approver under every name the agent's rules use (`terminal`, `console`, `webhook`, …), so in `agent dev`
 * and `agent test` every approval comes to the person at the terminal (or the scenario), whatever production uses.
 */
export function approversFor(agent: LoadedAgent, approver: Approver): Approver[] {
  // The usual names too: an agent handed off to later may use them (its file is not loaded yet).
  const names = new Set<string>(["terminal", "console", "webhook", approver.name]);
  const policy = agent.config.approval;
  if (policy?.approver) names.add(policy.approver);
  const collect = (rule: unknown) => {
    if (rule && typeof rule === "object" && "approver" in rule && typeof rule.approver === "string")
      names.add(rule.approver);
  };
  collect(policy?.default);
  for (const rule of Object.values(policy?.tools ?? {})) collect(rule);
  for (const tool of agent.tools) collect(tool.approval);
  return [...names].map((name) => ({ name, ask: (request) => approver.ask(request) }));
}
