export { isParleyError, ParleyError, type SourceLocation } from "./parley-error.ts";
