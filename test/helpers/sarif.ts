import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type AjvDraft04 from "ajv-draft-04";

const require = createRequire(import.meta.url);

/** The SARIF 2.1.0 schema's errors for `log` (an empty list when it is valid SARIF). */
export function sarifErrors(log: unknown): unknown[] {
  const schema = JSON.parse(readFileSync(require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"), "utf8")) as object;
  const Ajv = require("ajv-draft-04") as typeof AjvDraft04.default;
  // The schema's language-tag pattern is not valid with the `u` flag; formats (uri, date-time) need a plugin we do not have.
  const validate = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false, validateFormats: false }).compile(schema);
  return validate(log) ? [] : [...(validate.errors ?? [])];
}
