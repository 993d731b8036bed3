export { AgentFileError, formatPath, type Problem } from "./problem.ts";
export { formatProblems } from "./format-problems.ts";
export { loadAgent, type LoadAgentOptions, type LoadedAgent } from "./load-agent.ts";
export type { LoadedHandoff } from "./resolve-handoffs.ts";
export type { ModuleImporter } from "./import-module.ts";
export type { FileReader } from "./read-source.ts";
