/**
 * Writes secret values to one file each under a directory: DIR 0700, files 0600, written
 * into a temporary sibling first and renamed into place, so an error, Ctrl-C or SIGTERM
 * leaves nothing behind; a sibling left by a crash is removed by the next run.
 */
import { existsSync, lstatSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { chmod, mkdir, rename, rm, rmdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { inputError } from "../../core/errors.ts";
import type { SecretStore, SecretSummary, SecretValue } from "./types.ts";

/** `<store>/<name segments>`; `.` and `..` segments are escaped so nothing lands outside DIR. */
export function dumpPath(value: Pick<SecretValue, "name" | "store">): string {
  const segments = value.name
    .split("/")
    .filter((segment) => segment !== "")
    .map((segment) => (segment === "." ? "%2E" : segment === ".." ? "%2E%2E" : segment));
  return path.join(value.store, ...segments);
}

/** The work tree root holding `dir` (or its nearest existing ancestor), if any. */
export function gitWorkTreeOf(dir: string): string | undefined {
  let current = path.resolve(dir);
  for (;;) {
    if (existsSync(path.join(current, ".git"))) return current;
    const parent = path.dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

/** An input error unless a dump can go to `dir`: a new or empty folder, not a link, outside a work tree unless `force`. */
export function checkDumpDir(dir: string, options: { force?: boolean } = {}): void {
  const target = path.resolve(dir);
  let ancestor = path.dirname(target);
  while (!existsSync(ancestor)) ancestor = path.dirname(ancestor);
  // Checked first: below a regular file every later check fails with ENOTDIR, even for root.
  if (!statSync(ancestor).isDirectory()) throw inputError(`cannot write in ${ancestor}: a file, not a folder`);
  if (lstatSync(target, { throwIfNoEntry: false })?.isSymbolicLink()) throw inputError(`${dir} is a symbolic link: choose a new DIR`);
  const repo = gitWorkTreeOf(target);
  if (repo && !options.force) {
    throw inputError(`${dir} is inside the git work tree ${repo}: secrets there are one \`git add\` away from a commit; choose another DIR or pass --force`);
  }
  if (existsSync(target) && (!statSync(target).isDirectory() || readdirSync(target).length > 0)) {
    throw inputError(`${dir} exists and is not an empty directory: choose a new DIR`);
  }
}

/** Exit codes after a signal, as shells report them. */
const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143 } as const;

export async function writeDump(
  dir: string,
  values: readonly SecretValue[],
  options: { force?: boolean; onLeftover?: (staging: string) => void } = {},
): Promise<string[]> {
  const target = path.resolve(dir);
  checkDumpDir(dir, options);
  const replaceEmpty = existsSync(target);
  const files = planFiles(values);
  const prefix = `.${path.basename(target)}.vaultlift-`;
  // The handlers go in before the staging folder exists: until Node listens for a signal,
  // its default action ends the process at once, and the copy would stay behind.
  let staging: string | undefined;
  const onSignal = (signal: keyof typeof SIGNAL_EXIT) => {
    if (staging) rmSync(staging, { recursive: true, force: true });
    process.exit(SIGNAL_EXIT[signal]);
  };
  const stopListening = () => {
    process.removeListener("SIGINT", onSignal);
    process.removeListener("SIGTERM", onSignal);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    await mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
    for (const entry of readdirSync(path.dirname(target))) {
      if (!entry.startsWith(prefix)) continue;
      rmSync(path.join(path.dirname(target), entry), { recursive: true, force: true });
      options.onLeftover?.(path.join(path.dirname(target), entry));
    }
    // Synchronous, so the handler above knows the folder as soon as it exists.
    staging = mkdtempSync(path.join(path.dirname(target), prefix));
  } catch (error) {
    stopListening();
    throw inputError(`cannot write in ${path.dirname(target)}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { cause: error });
  }
  try {
    for (const [relative, value] of files) {
      const file = path.join(staging, relative);
      await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
      await writeFile(file, value.binary ? Buffer.from(value.value, "base64") : value.value, { mode: 0o600, flag: "wx" });
    }
    await chmod(staging, 0o700);
    if (replaceEmpty) await rmdir(target);
    await rename(staging, target);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  } finally {
    stopListening();
  }
  return [...files.keys()].map((relative) => path.join(target, relative));
}

/** File paths by secret; two secrets on one path, or a file where a directory must go, is an error. */
function planFiles(values: readonly SecretValue[]): Map<string, SecretValue> {
  const files = new Map<string, SecretValue>();
  const directories = new Set<string>();
  for (const value of values) {
    const relative = dumpPath(value);
    const clash = files.get(relative);
    if (clash) throw inputError(`"${clash.name}" and "${value.name}" would both be written to ${relative}: dump them separately with --prefix`);
    files.set(relative, value);
    for (let parent = path.dirname(relative); parent !== "."; parent = path.dirname(parent)) directories.add(parent);
  }
  for (const relative of files.keys()) {
    if (directories.has(relative)) throw inputError(`${relative} would be both a file and a directory: dump the names under it separately with --prefix`);
  }
  return files;
}

/** The current values of the listed secrets, one batched read per store; `missing` have no value (a container not yet filled). */
export async function readValues(
  stores: readonly SecretStore[],
  summaries: readonly SecretSummary[],
  onRead?: () => void,
): Promise<{ values: SecretValue[]; missing: SecretSummary[] }> {
  const values: SecretValue[] = [];
  const missing: SecretSummary[] = [];
  for (const store of stores) {
    const mine = summaries.filter((summary) => summary.store === store.kind);
    const read = await store.readMany(mine.map((summary) => summary.name));
    for (const summary of mine) {
      const value = read.get(summary.name);
      if (value) values.push(value);
      else missing.push(summary);
      onRead?.();
    }
  }
  return { values, missing };
}
