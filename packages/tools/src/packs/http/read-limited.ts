import { readCapped } from "@parley/core/pack";
import { HttpToolError } from "./errors.ts";

/** Reads a response body as text, refusing more than `maxBytes` (a huge or endless body is cut off unbuffered). */
export async function readLimited(response: Response, maxBytes: number): Promise<string> {
  const body = await readCapped(response, maxBytes);
  if ("tooLarge" in body)
    throw new HttpToolError(
      "response_too_large",
      `the response is larger than the ${maxBytes}-byte limit (maxBytes)`,
    );
  return Buffer.from(body.bytes).toString("utf8");
}
