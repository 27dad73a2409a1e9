/**
 * The apply journal: one JSON line per event, appended and flushed as the run goes, so a
 * crashed or interrupted run can be resumed and audited. It holds names, stores, HMAC
 * value hashes, ClientRequestTokens and version ids, never a value. Mode 0600.
 *
 *   {"at":"...","run":"r-...","event":"start","plan":"<hash of the plan>","targets":12}
 *   {"at":"...","run":"r-...","event":"write","store":"secretsmanager","name":"/a/b","valueHash":"hmac-sha256:...","token":"..."}
 *   {"at":"...","run":"r-...","event":"written","store":"secretsmanager","name":"/a/b","valueHash":"...","versionId":"..."}
 *   {"at":"...","run":"r-...","event":"verified","store":"secretsmanager","name":"/a/b","valueHash":"..."}
 *   {"at":"...","run":"r-...","event":"failed","store":"secretsmanager","name":"/a/b","valueHash":"...","reason":"..."}
 *   {"at":"...","run":"r-...","event":"exposed","store":"secretsmanager","name":"/a/c","valueHash":"...","why":"history"}
 *   {"at":"...","run":"r-...","event":"end","written":3,"unchanged":9,"failed":0}
 */
import { appendFileSync, chmodSync, closeSync, fsyncSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { inputError } from "../../core/errors.ts";
import type { Store } from "../../core/naming.ts";

export type JournalEvent =
  | { event: "start"; plan: string; targets: number }
  | { event: "write"; store: Store; name: string; valueHash: string; token: string }
  | { event: "written"; store: Store; name: string; valueHash: string; versionId: string }
  | { event: "verified"; store: Store; name: string; valueHash: string }
  | { event: "failed"; store: Store; name: string; valueHash: string; reason: string }
  /** Deliberately not imported because it is exposed (only in history, or an older value): remediate lists, rotates and purges it. */
  | { event: "exposed"; store: Store; name: string; valueHash: string; why: "history" | "version" }
  | { event: "end"; written: number; unchanged: number; failed: number; interrupted?: boolean };

export type JournalRecord = JournalEvent & { at: string; run: string };

export interface Journal {
  readonly file: string;
  readonly run: string;
  record(event: JournalEvent): void;
}

/** Opens (creating, mode 0600) a journal for appending; every record is written and fsynced at once. */
export function openJournal(file: string, run: string): Journal {
  const fd = openSync(file, "a", 0o600);
  closeSync(fd);
  chmodSync(file, 0o600);
  return {
    file,
    run,
    record(event) {
      const fd = openSync(file, "a", 0o600);
      try {
        appendFileSync(fd, `${JSON.stringify({ at: new Date().toISOString(), run, ...event })}\n`);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    },
  };
}

/** Every record of a journal file; a torn last line (crash mid-write) is ignored. */
export function readJournal(file: string): JournalRecord[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const records: JournalRecord[] = [];
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    try {
      records.push(JSON.parse(line) as JournalRecord);
    } catch {
      // A crash can leave half a line at the end; everything before it is intact.
    }
  }
  return records;
}

export interface ResumeState {
  /** The unfinished run of this plan, if the last run of it did not end. */
  run?: string;
  /** `store\0name\0valueHash` of targets written and verified by earlier runs of this plan. */
  verified: Set<string>;
  /** Targets whose write started but was never confirmed: the crash window. */
  inFlight: Set<string>;
}

export const journalKey = (store: Store, name: string, valueHash: string) => `${store}\0${name}\0${valueHash}`;

/** What earlier runs of the same plan did, for resuming and reporting. */
export function resumeState(records: readonly JournalRecord[], plan: string): ResumeState {
  const runs = new Set(records.filter((record) => record.event === "start" && record.plan === plan).map((record) => record.run));
  const ended = new Set(records.filter((record) => record.event === "end" && !record.interrupted).map((record) => record.run));
  const state: ResumeState = { verified: new Set(), inFlight: new Set() };
  for (const record of records) {
    if (!runs.has(record.run)) continue;
    if (record.event === "start") state.run = ended.has(record.run) ? undefined : record.run;
    if (record.event === "write") state.inFlight.add(journalKey(record.store, record.name, record.valueHash));
    if (record.event === "verified" || record.event === "failed") state.inFlight.delete(journalKey(record.store, record.name, record.valueHash));
    if (record.event === "verified") state.verified.add(journalKey(record.store, record.name, record.valueHash));
  }
  return state;
}

/** `store\0name` -> the version id vaultlift last wrote, for telling its own writes from later changes in the store. */
export function writtenVersions(records: readonly JournalRecord[]): Map<string, string> {
  const written = new Map<string, string>();
  for (const record of records) if (record.event === "written") written.set(`${record.store}\0${record.name}`, record.versionId);
  return written;
}

/**
 * Holds `FILE.lock` (this process's pid) while a run applies with the journal `file`; a
 * lock whose process is gone is taken over. Returns the release function.
 */
export function lockJournal(file: string): () => void {
  const lock = `${file}.lock`;
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      writeFileSync(lock, `${process.pid}\n`, { flag: "wx", mode: 0o600 });
      return () => rmSync(lock, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw inputError(`${lock}: cannot create the journal lock: ${(error as Error).message}`);
    }
    const holder = Number.parseInt(readFileSync(lock, "utf8"), 10);
    if (Number.isInteger(holder) && holder > 0 && isAlive(holder)) {
      throw inputError(`${file} is in use by another vaultlift migrate (pid ${holder}): wait for it to finish, or remove ${lock} if that process is gone`);
    }
    rmSync(lock, { force: true });
  }
  throw inputError(`${lock}: another run took the journal lock at the same moment: try again`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
