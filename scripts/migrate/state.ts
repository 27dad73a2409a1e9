/**
 * Local state of migrations: the `.vaultlift/` directory and hash key (core/state.ts), and
 * files only their owner can read.
 */
import { chmodSync, renameSync, rmSync, statSync, writeFileSync, type Stats } from "node:fs";
import path from "node:path";
import { inputError } from "../../core/errors.ts";

export { loadHashKey, removeCreated, stateDirectory, statePath } from "../../core/state.ts";

/** An input error unless `file` can be written: not a directory, in a directory that exists. `what` names the flag. */
export function checkOutputFile(file: string, what: string): void {
  const parent = path.dirname(file);
  // The parent first: below a regular file any stat of the file fails with ENOTDIR.
  const folder = statOrMissing(parent);
  if (folder && !folder.isDirectory()) throw inputError(`${what} ${file}: ${parent} is a file, not a folder`);
  if (!folder) throw inputError(`${what} ${file}: the folder ${parent} does not exist`);
  if (statSync(file, { throwIfNoEntry: false })?.isDirectory()) throw inputError(`${what} ${file} is a directory: name a file`);
}

/** The stat of `file`, or undefined when it is missing or a part of its path is a file (ENOTDIR). */
function statOrMissing(file: string): Stats | undefined {
  try {
    return statSync(file, { throwIfNoEntry: false });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOTDIR") return undefined;
    throw error;
  }
}

/** Writes a file only its owner can read, replacing any existing one atomically; nothing is left behind on failure. */
export function writePrivateFile(file: string, text: string, what = "output file"): void {
  checkOutputFile(file, what);
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, text, { mode: 0o600 });
    chmodSync(temporary, 0o600);
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw inputError(`${what} ${file}: cannot write: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { cause: error });
  }
}
