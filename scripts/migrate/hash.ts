/**
 * Value hashes without values. Plans and journals must show whether a value changed
 * without holding it, and a plain sha256 of a short password can be guessed offline, so
 * values are hashed with HMAC-SHA256 under a local random key (`.vaultlift/hash-key`,
 * mode 0600). The key id (a hash of the key) is saved beside the hashes, so a plan made
 * with another key is recognised. ClientRequestTokens come from the same HMAC, so they
 * are stable across retries and re-runs on this machine and reveal nothing either.
 */
import { createHash, createHmac, randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";

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
  const keyId = createHash("sha256").update(key).digest("hex").slice(0, 12);
  const hmac = (text: string) => createHmac("sha256", key).update(text).digest("hex");
  return {
    keyId,
    hash: (value) => `hmac-sha256:${hmac(`value\0${value}`)}`,
    token: (name, valueHash, baseVersionId) => hmac(`token\0${name}\0${valueHash}\0${baseVersionId ?? ""}`).slice(0, 40),
  };
}

/** The directory for local state (journal, hash key): `.vaultlift/` in the cwd, or `VAULTLIFT_STATE_DIR`; created mode 0700. */
export function stateDirectory(cwd: string = process.cwd(), env: NodeJS.ProcessEnv = process.env): string {
  const dir = env.VAULTLIFT_STATE_DIR ? path.resolve(env.VAULTLIFT_STATE_DIR) : path.join(cwd, ".vaultlift");
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  return dir;
}

/** Reads the hash key from `dir/hash-key`, creating a random one (mode 0600) on first use. */
export function loadHashKey(dir: string): Buffer {
  const file = path.join(dir, "hash-key");
  try {
    return Buffer.from(readFileSync(file, "utf8").trim(), "base64");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const key = randomBytes(32);
  try {
    writeFileSync(file, `${key.toString("base64")}\n`, { mode: 0o600, flag: "wx" });
    return key;
  } catch (error) {
    // Another run created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return Buffer.from(readFileSync(file, "utf8").trim(), "base64");
    throw error;
  }
}

/** Writes a file only its owner can read, replacing any existing one atomically. */
export function writePrivateFile(file: string, text: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, text, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, file);
}
