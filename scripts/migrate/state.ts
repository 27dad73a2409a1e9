/**
 * Local state of migrations: the `.vaultlift/` directory and hash key (core/state.ts), and
 * files only their owner can read.
 */
import { chmodSync, renameSync, writeFileSync } from "node:fs";

export { loadHashKey, removeCreated, stateDirectory, statePath } from "../../core/state.ts";

/** Writes a file only its owner can read, replacing any existing one atomically. */
export function writePrivateFile(file: string, text: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, text, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, file);
}
