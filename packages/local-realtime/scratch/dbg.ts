import { Ajv2020 } from "ajv/dist/2020.js";
import { prepareSchemas } from "../src/conformance/prepare-schemas.ts";
import { loadSpec } from "../src/conformance/spec.ts";
const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
ajv.addSchema({ $id: "https://x/s.json", components: { schemas: prepareSchemas(loadSpec().components.schemas, { strict: true }) } });
const fn = ajv.compile({ $ref: "https://x/s.json#/components/schemas/RealtimeClientEventSessionUpdate" });
fn({ type: "session.update", session: { type: "realtime", voice: "x" } });
console.log(fn.errors!.map(e=>[e.instancePath,e.schemaPath,e.keyword]));
