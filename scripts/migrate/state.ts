/**
 * Local state of migrations: the `.vaultlift/` directory (mode 0700) holding the HMAC
 * key of value hashes and the default journal, and files only their owner can read.
 */
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";

/** The directory for local state (journal, hash key): `.vaultlift/` in the cwd, or `VAULTLIFT_STATE_DIR`; created mode 0700. */
export function stateDirectory(cwd: string = process.cwd(), env: NodeJS.ProcessEnv = process.env): string {
  const dir = statePath(cwd, env);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  // The journal and hash key belong to this machine, never to a commit.
  const gitignore = path.join(dir, ".gitignore");
  if (!existsSync(gitignore)) writeFileSync(gitignore, "*\n", { mode: 0o600 });
  return dir;
}

/** Where the state directory is, without creating it. */
export function statePath(cwd: string = process.cwd(), env: NodeJS.ProcessEnv = process.env): string {
  return env.VAULTLIFT_STATE_DIR ? path.resolve(env.VAULTLIFT_STATE_DIR) : path.join(cwd, ".vaultlift");
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
