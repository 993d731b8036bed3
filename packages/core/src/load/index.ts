export type { ToolsFollower } from "../contracts/agent.ts";
export { formatProblems } from "./format-problems.ts";
export type { ModuleImporter } from "./import-module.ts";
export { type LoadAgentOptions, type LoadedAgent, loadAgent } from "./load-agent.ts";
export { closeAllAgents, createLoader, type Loader, type LoaderOptions } from "./loader.ts";
export { AgentFileError, formatPath, type Problem } from "./problem.ts";
export type { FileReader } from "./read-source.ts";
export type { LoadedHandoff } from "./resolve-handoffs.ts";
