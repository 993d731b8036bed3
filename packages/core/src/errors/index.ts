export { ParleyError, isParleyError, type SourceLocation } from "./parley-error.ts";
