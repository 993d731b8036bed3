export {
  type ClientSecretOptions,
  compileClientSecretBody,
  compileSipAcceptBody,
  SIP_REFUSED_TURN_DETECTION,
} from "./client-secret.ts";
export { CompileError, type CompileErrorCode } from "./compile-error.ts";
export { type CompiledSessionUpdate, compileSession } from "./compile-session.ts";
export {
  renderInstructions,
  renderPersona,
  templateScope,
  type VariableValues,
} from "./instructions.ts";
export { type CompileOptions, compileSessionConfig, renderGreeting } from "./session-config.ts";
export { renderTemplate } from "./template.ts";
export { describeTool, parametersJsonSchema } from "./tools.ts";
