/**
 * `getSecret(id, options)`: the library call scripts use instead of a hand-written
 * `get_secret(secret_id, profile, region)`. Values are cached in memory per identity
 * (credentials provider, or the credentials the environment names), endpoint, region and
 * id (default 5 minutes); concurrent callers share one request.
 */
import { createHmac, randomBytes } from "node:crypto";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";
import { toVaultliftError } from "../../core/errors.ts";
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
  /** Credentials or a provider instead of the default chain; values are cached per provider. */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Timeouts in seconds (default 60 each, or VAULTLIFT_CONNECT_TIMEOUT / VAULTLIFT_READ_TIMEOUT). */
  connectTimeoutSeconds?: number;
  readTimeoutSeconds?: number;
}

export const DEFAULT_TTL_SECONDS = 300;

interface CacheEntry {
  promise: Promise<SecretValue>;
  /** Infinity while the request is in flight. */
  expiresAt: number;
}

const cache = new Map<string, CacheEntry>();
const connections = new Map<string, { clients: AwsClients; stores: Stores }>();
const providerIds = new WeakMap<object, number>();
const IDENTITY_KEY = randomBytes(32);
let nextProviderId = 1;

/** Who the calls run as: the provider given, or every variable the default credential chain reads. */
function identityOf(options: GetSecretOptions, env: NodeJS.ProcessEnv): string {
  if (options.credentials) {
    if (!providerIds.has(options.credentials)) providerIds.set(options.credentials, nextProviderId++);
    return `provider:${providerIds.get(options.credentials)}`;
  }
  const chain = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE"];
  // Held in memory only; keyed with a per-process random key, so the map keys hold nothing a guess could be checked against.
  return createHmac("sha256", IDENTITY_KEY).update(JSON.stringify(chain.map((name) => env[name] ?? ""))).digest("hex");
}

/**
 * The current value of a secret or parameter (or of a version: `name:AWSPREVIOUS`,
 * `name#id`, `name~1`; an ARN works too). Errors are VaultliftErrors and are not cached.
 */
export async function getSecret(id: string, options: GetSecretOptions = {}): Promise<string> {
  const aws = awsOptionsFromEnv({
    profile: options.profile,
    region: options.region,
    endpoint: options.endpoint,
    ...(options.credentials ? { credentials: options.credentials } : {}),
    ...(options.connectTimeoutSeconds !== undefined ? { connectTimeoutSeconds: options.connectTimeoutSeconds } : {}),
    ...(options.readTimeoutSeconds !== undefined ? { readTimeoutSeconds: options.readTimeoutSeconds } : {}),
  });
  const connectionKey = JSON.stringify([identityOf(options, process.env), aws.profile, aws.region, aws.endpoint, aws.connectTimeoutSeconds, aws.readTimeoutSeconds]);
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
    const read = readAnywhere(connection.stores, ref.name, ref.selector, options.store).catch((error: unknown) => {
      throw toVaultliftError(error);
    });
    const fresh: CacheEntry = { promise: read, expiresAt: Infinity };
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
