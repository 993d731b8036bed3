export { compileSession } from "./compile-session.ts";
export { compileSessionConfig, type CompileOptions } from "./session-config.ts";
export { compileClientSecretBody, compileSipAcceptBody, type ClientSecretOptions } from "./client-secret.ts";
export { CompileError } from "./compile-error.ts";
export { describeTool, parametersJsonSchema } from "./tools.ts";
export { renderInstructions, renderPersona, templateScope, type VariableValues } from "./instructions.ts";
export { renderTemplate } from "./template.ts";
