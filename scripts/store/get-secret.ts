/**
 * `getSecret(id, options)`: the library call scripts use instead of a hand-written
 * `get_secret(secret_id, profile, region)`. Values are cached in memory per endpoint,
 * region, profile and id (default 5 minutes); concurrent callers share one request.
 */
import { awsOptionsFromEnv, createAwsClients, type AwsClients } from "../aws/clients.ts";
import { jsonField } from "./field.ts";
import { readAnywhere, storesFor, type Stores } from "./index.ts";
import { parseSecretRef } from "./selector.ts";
import type { SecretValue, Store } from "./types.ts";

export interface GetSecretOptions {
  /** AWS profile, region and endpoint; default from the AWS_* environment variables. */
  profile?: string;
  region?: string;
  endpoint?: string;
  /** Return one key of a JSON value. */
  field?: string;
  /** How long a value is served from memory; default 300. 0 still shares concurrent requests. */
  ttlSeconds?: number;
  /** Default: Secrets Manager first, then SSM. */
  store?: Store;
}

export const DEFAULT_TTL_SECONDS = 300;

interface CacheEntry {
  promise: Promise<SecretValue>;
  /** Infinity while the request is in flight. */
  expiresAt: number;
}

const cache = new Map<string, CacheEntry>();
const connections = new Map<string, { clients: AwsClients; stores: Stores }>();

/**
 * The current value of a secret or parameter (or of a version: `name:AWSPREVIOUS`,
 * `name#id`, `name~1`; an ARN works too). Errors are VaultliftErrors and are not cached.
 */
export async function getSecret(id: string, options: GetSecretOptions = {}): Promise<string> {
  const aws = awsOptionsFromEnv({ profile: options.profile, region: options.region, endpoint: options.endpoint });
  const connectionKey = JSON.stringify([aws.profile, aws.region, aws.endpoint]);
  const key = JSON.stringify([connectionKey, options.store, id]);
  let entry = cache.get(key);
  if (!entry || entry.expiresAt <= Date.now()) {
    let connection = connections.get(connectionKey);
    if (!connection) {
      const clients = createAwsClients(aws);
      connection = { clients, stores: storesFor(clients) };
      connections.set(connectionKey, connection);
    }
    const ref = parseSecretRef(id);
    const fresh: CacheEntry = { promise: readAnywhere(connection.stores, ref.name, ref.selector, options.store), expiresAt: Infinity };
    const ttlMs = (options.ttlSeconds ?? DEFAULT_TTL_SECONDS) * 1000;
    fresh.promise.then(
      () => (fresh.expiresAt = Date.now() + ttlMs),
      () => cache.get(key) === fresh && cache.delete(key),
    );
    cache.set(key, fresh);
    entry = fresh;
  }
  const secret = await entry.promise;
  return options.field === undefined ? secret.value : jsonField(secret, options.field);
}

/** Forgets every cached value and closes the clients (tests, long-lived processes that rotate). */
export function clearSecretCache(): void {
  cache.clear();
  for (const { clients } of connections.values()) clients.destroy();
  connections.clear();
}
