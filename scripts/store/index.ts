/**
 * The two stores from one set of clients, and where a name lives: without `--store`,
 * Secrets Manager is asked first, then SSM.
 */
import { inputError } from "../../core/errors.ts";
import type { AwsClients } from "../aws/clients.ts";
import { notFoundError } from "./errors.ts";
import { checkSecretsManagerWrite, SecretsManagerStore } from "./secrets-manager.ts";
import { describeSelector, isCurrent } from "./selector.ts";
import { checkSsmWrite, SsmStore } from "./ssm.ts";
import type { SecretStore, SecretSummary, SecretValue, Store, VersionSelector, WriteOptions } from "./types.ts";

export type * from "./types.ts";
export { SecretsManagerStore, SECRETS_MANAGER_LIMITS, checkSecretsManagerWrite } from "./secrets-manager.ts";
export { SsmStore, SSM_LIMITS, checkSsmWrite } from "./ssm.ts";
export { parseSecretRef, parseVersionSpec, describeSelector, type SecretRef } from "./selector.ts";

export const STORES: readonly Store[] = ["secretsmanager", "ssm"];

export type Stores = Record<Store, SecretStore>;

export function storesFor(clients: Pick<AwsClients, "secretsManager" | "ssm">): Stores {
  let secretsManager: SecretStore | undefined;
  let ssm: SecretStore | undefined;
  // Lazy, so a command that only touches one store builds only that client.
  return {
    get secretsmanager() {
      return (secretsManager ??= new SecretsManagerStore(clients.secretsManager));
    },
    get ssm() {
      return (ssm ??= new SsmStore(clients.ssm));
    },
  };
}

export function parseStore(text: string | undefined): Store | undefined {
  if (text === undefined) return undefined;
  if (text === "secretsmanager" || text === "ssm") return text;
  throw inputError(`--store is "secretsmanager" or "ssm" (got "${text}")`);
}

/** The stores to look in, in order: the one asked for, else Secrets Manager then SSM. */
export function storeOrder(stores: Stores, preferred?: Store): SecretStore[] {
  return preferred ? [stores[preferred]] : [stores.secretsmanager, stores.ssm];
}

/** The store holding `name` (scheduled-for-deletion secrets included) and its summary; not found is an input error. */
export async function locate(stores: Stores, name: string, preferred?: Store): Promise<{ store: SecretStore; summary: SecretSummary }> {
  for (const store of storeOrder(stores, preferred)) {
    const summary = await store.describe(name);
    if (summary) return { store, summary };
  }
  throw notFoundError(name);
}

/**
 * Reads one value, trying each store in order: one call when the name is in Secrets
 * Manager. Only when no store has the value does it ask why (no such version, no value yet).
 */
export async function readAnywhere(stores: Stores, name: string, selector: VersionSelector = {}, preferred?: Store): Promise<SecretValue> {
  const order = storeOrder(stores, preferred);
  for (const store of order) {
    const value = await store.read(name, selector);
    if (value) return value;
  }
  for (const store of order) {
    if (await store.describe(name)) {
      if (store.kind === "secretsmanager" && selector.version !== undefined) {
        throw inputError(`"${name}" is a Secrets Manager secret: its versions are named by id or stage, not number (${name}#VERSION_ID, ${name}~N)`);
      }
      throw inputError(isCurrent(selector) ? `secret "${name}" has no value yet` : `secret "${name}" has no version ${describeSelector(selector)}`);
    }
  }
  throw notFoundError(name);
}

/** Every summary under a prefix from the given stores, sorted by name then store. */
export async function listAll(stores: readonly SecretStore[], options: Parameters<SecretStore["list"]>[0] = {}): Promise<SecretSummary[]> {
  const all: SecretSummary[] = [];
  for (const store of stores) for await (const summary of store.list(options)) all.push(summary);
  return all.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.store.localeCompare(b.store)));
}

/**
 * The name and size checks a write to `store` makes, without the write; with no store, the
 * checks every store shares (a value neither store could take), so commands refuse before any call.
 */
export function checkWrite(store: Store | undefined, name: string, value: string, options: WriteOptions = {}): void {
  if (store === "ssm") checkSsmWrite(name, value, options);
  else if (store === "secretsmanager") checkSecretsManagerWrite(name, value, options);
  else {
    const refusals = [checkSecretsManagerWrite, checkSsmWrite].map((check) => {
      try {
        check(name, value, options);
        return undefined;
      } catch (error) {
        return error;
      }
    });
    if (refusals.every((refusal) => refusal !== undefined)) throw refusals[0];
  }
}

/**
 * Puts a new value where `name` lives (the first store holding a value, else the one holding
 * the name, such as a bootstrap container with no value yet); writes nothing when the value is unchanged.
 */
export async function updateValue(stores: Stores, name: string, value: string, preferred?: Store): Promise<{ store: Store; versionId?: string }> {
  let target: { store: Store; current?: SecretValue } | undefined;
  for (const store of storeOrder(stores, preferred)) {
    const current = await store.read(name);
    if (current) {
      target = { store: store.kind, current };
      break;
    }
  }
  target ??= { store: (await locate(stores, name, preferred)).store.kind };
  if (target.current?.value === value) return { store: target.store };
  // No type or tier is given: an SSM overwrite keeps the parameter's own, so a String never becomes a SecureString and Advanced never drops to Standard.
  const result = await stores[target.store].write(name, value, { onlyUpdate: true, ...(target.current ? { baseVersionId: target.current.versionId } : {}) });
  return { store: target.store, versionId: result.versionId };
}
