/**
 * Fingerprints name the place a secret was found (file, rule, key or line context, commit
 * or object version), never its value, so a mapping survives a rotation and a baseline an
 * edit elsewhere in the file. They are HMACs under the local hash key (core/state.ts): the
 * line context may hold text nobody detected, and keyed it cannot be confirmed offline.
 */
import { createHmac } from "node:crypto";
import { hashKeyId, hashKeySource, loadHashKey } from "./state.ts";

export interface Fingerprinter {
  /** Names the key the fingerprints were made with (stored in baselines). */
  readonly keyId: string;
  /** 32 hex characters identifying the place described by `parts`. */
  place(...parts: readonly string[]): string;
}

export function createFingerprinter(key: Buffer): Fingerprinter {
  return {
    keyId: hashKeyId(key),
    place: (...parts) => createHmac("sha256", key).update(`place\0${parts.join("\0")}`).digest("hex").slice(0, 32),
  };
}

let cached: { where: string; key: Buffer; fingerprinter: Fingerprinter } | undefined;

/** This process's hash key (environment or `.vaultlift/hash-key`), read once: worker threads get it from here, never from the file. */
export function defaultHashKey(): Buffer {
  return processKey().key;
}

/** The fingerprinter of this process's hash key. */
export function defaultFingerprinter(): Fingerprinter {
  return processKey().fingerprinter;
}

function processKey(): { key: Buffer; fingerprinter: Fingerprinter } {
  const where = JSON.stringify([hashKeySource(), process.env.VAULTLIFT_HASH_KEY ?? ""]);
  if (cached?.where !== where) {
    const key = loadHashKey();
    cached = { where, key, fingerprinter: createFingerprinter(key) };
  }
  return cached;
}
