// The public door of @parley/tools.

export type { ToolPack, ToolPackDefaults, ToolPackEnv, ToolPackFactory } from "@parley/core";
export { defineToolPack } from "./pack/define-tool-pack.ts";
