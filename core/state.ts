/**
 * Local state: the `.vaultlift/` directory (mode 0700, git-ignored) holding the journal and
 * the hash key. Every hash vaultlift writes (fingerprints, value hashes, request tokens) is
 * an HMAC under that key, so nothing written can be checked against a guessed value without
 * it. CI and teams that share baselines set the same key through the environment.
 */
import { createHash, randomBytes } from "node:crypto";
import { chmodSync, existsSync, linkSync, mkdirSync, readFileSync, rmdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { inputError } from "./errors.ts";

/** Base64 of the key itself (a CI secret). */
export const HASH_KEY_ENV = "VAULTLIFT_HASH_KEY";
/** A file holding the base64 key, created 0600 when missing. */
export const HASH_KEY_FILE_ENV = "VAULTLIFT_HASH_KEY_FILE";

const MIN_KEY_BYTES = 16;

/**
 * The directory for local state (journal, hash key): `.vaultlift/` in the cwd, or
 * `VAULTLIFT_STATE_DIR`; created mode 0700. What it creates is added to `created`, so a
 * run that fails can remove exactly that.
 */
export function stateDirectory(cwd: string = process.cwd(), env: NodeJS.ProcessEnv = process.env, created?: string[]): string {
  const dir = statePath(cwd, env);
  if (!existsSync(dir)) created?.push(dir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  // The journal and hash key belong to this machine, never to a commit.
  const gitignore = path.join(dir, ".gitignore");
  if (!existsSync(gitignore)) {
    writeFileSync(gitignore, "*\n", { mode: 0o600 });
    created?.push(gitignore);
  }
  return dir;
}

/** Where the state directory is, without creating it. */
export function statePath(cwd: string = process.cwd(), env: NodeJS.ProcessEnv = process.env): string {
  return env.VAULTLIFT_STATE_DIR ? path.resolve(env.VAULTLIFT_STATE_DIR) : path.join(cwd, ".vaultlift");
}

/** Where the hash key comes from: the environment variable, the key file variable, or `.vaultlift/hash-key`. */
export function hashKeySource(cwd: string = process.cwd(), env: NodeJS.ProcessEnv = process.env): { env: string } | { file: string } {
  if (env[HASH_KEY_ENV]) return { env: HASH_KEY_ENV };
  if (env[HASH_KEY_FILE_ENV]) return { file: path.resolve(cwd, env[HASH_KEY_FILE_ENV]) };
  return { file: path.join(statePath(cwd, env), "hash-key") };
}

/** The hash key, from the environment or its file (a random one, mode 0600, on first use). */
export function loadHashKey(cwd: string = process.cwd(), env: NodeJS.ProcessEnv = process.env, created?: string[]): Buffer {
  const source = hashKeySource(cwd, env);
  if ("env" in source) return decodeKey(env[HASH_KEY_ENV] as string, source.env);
  if (!env[HASH_KEY_FILE_ENV]) stateDirectory(cwd, env, created);
  else mkdirSync(path.dirname(source.file), { recursive: true, mode: 0o700 });
  return readOrCreateKey(source.file, created);
}

/** Removes what `created` lists, newest first; a directory only when empty (another run may use it by now). */
export function removeCreated(created: readonly string[]): void {
  for (const file of [...created].reverse()) {
    try {
      if (statSync(file).isDirectory()) rmdirSync(file);
      else rmSync(file, { force: true });
    } catch {
      // Gone already, or no longer only ours: leave it.
    }
  }
}

/** First 12 hex characters of sha256(key): names the key in files, reveals nothing. */
export function hashKeyId(key: Buffer): string {
  return createHash("sha256").update(key).digest("hex").slice(0, 12);
}

function readOrCreateKey(file: string, created?: string[]): Buffer {
  try {
    return decodeKey(readFileSync(file, "utf8"), file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const key = randomBytes(32);
  const temporary = `${file}.${process.pid}.tmp`;
  rmSync(temporary, { force: true });
  try {
    writeFileSync(temporary, `${key.toString("base64")}\n`, { mode: 0o600, flag: "wx" });
    // A link appears whole, and fails when the file exists: a run reading at the same moment never sees it empty.
    linkSync(temporary, file);
    created?.push(file);
    return key;
  } catch (error) {
    // Another run created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === "EEXIST" && existsSync(file)) return decodeKey(readFileSync(file, "utf8"), file);
    throw inputError(`${file}: cannot create the hash key: ${(error as Error).message}`);
  } finally {
    rmSync(temporary, { force: true });
  }
}

function decodeKey(text: string, where: string): Buffer {
  const key = Buffer.from(text.trim(), "base64");
  if (key.length < MIN_KEY_BYTES) throw inputError(`${where}: the hash key must be at least ${MIN_KEY_BYTES} bytes of base64 (e.g. \`openssl rand -base64 32\`)`);
  return key;
}
