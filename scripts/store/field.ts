/** One key of a JSON secret value, for `secrets get --field` and `getSecret({ field })`. */
import { inputError } from "../../core/errors.ts";
import type { SecretValue } from "./types.ts";

/** The exact key first, else a dotted path; strings come back raw, anything else as JSON. */
export function jsonField(secret: Pick<SecretValue, "name" | "value">, field: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(secret.value);
  } catch {
    throw inputError(`"${secret.name}" is not JSON: a field needs a JSON object value`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw inputError(`"${secret.name}" is not a JSON object: a field needs one`);
  const object = parsed as Record<string, unknown>;
  let found: unknown = Object.hasOwn(object, field) ? object[field] : undefined;
  if (found === undefined && field.includes(".")) {
    found = field
      .split(".")
      .reduce<unknown>((node, key) => (node !== null && typeof node === "object" && Object.hasOwn(node, key) ? (node as Record<string, unknown>)[key] : undefined), object);
  }
  if (found === undefined) throw inputError(`"${secret.name}" has no key "${field}" (keys: ${Object.keys(object).join(", ")})`);
  return typeof found === "string" ? found : JSON.stringify(found);
}
