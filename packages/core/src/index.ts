// The public door of @parley/core: export by name exactly what users may import.
export { ParleyError, isParleyError, type SourceLocation } from "./errors/index.ts";
