/**
 * Secret references in `.env` files, the line `remediate` writes in place of a literal and
 * `vaultlift exec` resolves:
 *
 *   DB_PASSWORD=vaultlift:secretsmanager:/acme/payments/prod/api/db-password
 *   API_KEY=vaultlift:ssm:/acme/payments/prod/api/api-key
 *   WEBHOOK=vaultlift:/acme/payments/prod/api/webhook   (Secrets Manager first, then SSM)
 *   DB_PASS=vaultlift:secretsmanager:/acme/payments/prod/api/db#password   (one key of a JSON value)
 *
 * A reference holds a name and a store, never a value, so the file can be committed.
 */
import type { Store } from "../../core/naming.ts";

export interface SecretReference {
  name: string;
  /** Undefined: look in Secrets Manager first, then SSM. */
  store?: Store;
  /** One key of a JSON value (`#key`; names cannot hold `#`). */
  field?: string;
}

export const REFERENCE_SCHEME = "vaultlift:";

export function formatReference(reference: SecretReference): string {
  return `${REFERENCE_SCHEME}${reference.store ? `${reference.store}:` : ""}${reference.name}${reference.field ? `#${reference.field}` : ""}`;
}

/** The reference a value stands for, or undefined when the value is a plain literal. */
export function parseReference(value: string): SecretReference | undefined {
  if (!value.startsWith(REFERENCE_SCHEME)) return undefined;
  const body = value.slice(REFERENCE_SCHEME.length);
  const hash = body.indexOf("#");
  const rest = hash === -1 ? body : body.slice(0, hash);
  const field = hash === -1 ? {} : { field: body.slice(hash + 1) };
  for (const store of ["secretsmanager", "ssm"] as const) {
    if (rest.startsWith(`${store}:`)) return { store, name: rest.slice(store.length + 1), ...field };
  }
  return { name: rest, ...field };
}

/** The environment variable a leaf maps to: `db-password` -> `DB_PASSWORD`, `/a/b/api.key` -> `API_KEY`. */
export function variableFor(name: string): string {
  const leaf = name.split("/").filter(Boolean).pop() ?? name;
  const variable = leaf.replace(/[^A-Za-z0-9_]+/g, "_").toUpperCase();
  return /^[0-9]/.test(variable) ? `_${variable}` : variable;
}
