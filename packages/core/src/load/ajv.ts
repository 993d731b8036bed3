import { createRequire } from "node:module";
import type { Ajv } from "ajv";
import { linearRegExp } from "../tool/linear-regexp.ts";

let instance: Ajv | undefined;

/**
 * The loader's ajv, created on first use: a YAML agent without JSON Schema parameters never pays its start-up
 * cost. `pattern`s run in linear time (RE2). Formats (`email`, `date`, …) are known through ajv-formats, and ajv never logs (core writes nothing to the
 * console; problems are returned instead).
 */
export function loaderAjv(): Ajv {
  if (!instance) {
    const require = createRequire(import.meta.url);
    const { Ajv } = require("ajv") as typeof import("ajv");
    const addFormats = require("ajv-formats") as (ajv: Ajv) => Ajv;
    instance = addFormats(
      new Ajv({ strict: false, allErrors: true, logger: false, code: { regExp: linearRegExp } }),
    );
  }
  return instance;
}
