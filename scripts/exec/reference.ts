/**
 * Secret references in `.env` files, the line `remediate` writes in place of a literal and
 * `vaultlift exec` resolves:
 *
 *   DB_PASSWORD=vaultlift:secretsmanager:/acme/payments/prod/api/db-password
 *   API_KEY=vaultlift:ssm:/acme/payments/prod/api/api-key
 *   WEBHOOK=vaultlift:/acme/payments/prod/api/webhook   (Secrets Manager first, then SSM)
 *
 * A reference holds a name and a store, never a value, so the file can be committed.
 */
import type { Store } from "../../core/naming.ts";

export interface SecretReference {
  name: string;
  /** Undefined: look in Secrets Manager first, then SSM. */
  store?: Store;
}

export const REFERENCE_SCHEME = "vaultlift:";

export function formatReference(reference: SecretReference): string {
  return `${REFERENCE_SCHEME}${reference.store ? `${reference.store}:` : ""}${reference.name}`;
}

/** The reference a value stands for, or undefined when the value is a plain literal. */
export function parseReference(value: string): SecretReference | undefined {
  if (!value.startsWith(REFERENCE_SCHEME)) return undefined;
  const rest = value.slice(REFERENCE_SCHEME.length);
  for (const store of ["secretsmanager", "ssm"] as const) {
    if (rest.startsWith(`${store}:`)) return { store, name: rest.slice(store.length + 1) };
  }
  return { name: rest };
}

/** The environment variable a leaf maps to: `db-password` -> `DB_PASSWORD`, `/a/b/api.key` -> `API_KEY`. */
export function variableFor(name: string): string {
  const leaf = name.split("/").filter(Boolean).pop() ?? name;
  const variable = leaf.replace(/[^A-Za-z0-9_]+/g, "_").toUpperCase();
  return /^[0-9]/.test(variable) ? `_${variable}` : variable;
}
