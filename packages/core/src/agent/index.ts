export { type AgentDefinition, defineAgent } from "./define-agent.ts";
