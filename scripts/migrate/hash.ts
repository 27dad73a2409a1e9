/**
 * Value hashes without values. Plans and journals must show whether a value changed
 * without holding it, and a plain sha256 of a short password can be guessed offline, so
 * values are hashed with HMAC-SHA256 under a local random key (see core/state.ts,
 * `.vaultlift/hash-key`, mode 0600). The key id (a hash of the key) is saved beside the hashes, so a plan made
 * with another key is recognised. ClientRequestTokens come from the same HMAC, so they
 * are stable across retries and re-runs on this machine and reveal nothing either.
 */
import { createHmac } from "node:crypto";
import { hashKeyId } from "../../core/state.ts";

export interface ValueHasher {
  /** First 12 hex characters of sha256(key): identifies the key, reveals nothing. */
  readonly keyId: string;
  /** `hmac-sha256:<hex>` of the value. */
  hash(value: string): string;
  /**
   * Secrets Manager ClientRequestToken (40 hex characters) for writing `valueHash` to
   * `name` on top of version `baseVersionId`: a retried or resumed write sends the same
   * token, so it cannot create a second version, while a deliberate new write after
   * someone else changed the secret gets a new one.
   */
  token(name: string, valueHash: string, baseVersionId?: string): string;
}

export function createValueHasher(key: Buffer): ValueHasher {
  const keyId = hashKeyId(key);
  const hmac = (text: string) => createHmac("sha256", key).update(text).digest("hex");
  return {
    keyId,
    hash: (value) => `hmac-sha256:${hmac(`value\0${value}`)}`,
    token: (name, valueHash, baseVersionId) => hmac(`token\0${name}\0${valueHash}\0${baseVersionId ?? ""}`).slice(0, 40),
  };
}
