export { defineAgent, type AgentDefinition } from "./define-agent.ts";
