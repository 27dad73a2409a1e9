/**
 * Applying a plan: read the current values in batches, classify each target
 * (`[create]`, `[modified]`, `[no change]`, or `[drift]` when the store holds a version
 * vaultlift did not write since it migrated the secret), then write only what differs, with a
 * bounded number of writes in flight, an idempotency token per write, a journal line
 * before and after each write, and a batched read-back that verifies every value.
 */
import { createHash } from "node:crypto";
import type { Store } from "../../core/naming.ts";
import type { SecretStore } from "../store/types.ts";
import type { ValueHasher } from "./hash.ts";
import type { Journal } from "./journal.ts";
import type { MigrationPlan, PlanTarget } from "./plan.ts";

export type ChangeKind = "create" | "modified" | "no change" | "drift";

export interface Change {
  target: PlanTarget;
  kind: ChangeKind;
  /** The version the write goes on top of (part of the idempotency token). */
  currentVersionId?: string;
}

export type Stores = Record<Store, SecretStore>;

/** Identifies a plan by what it would write: the same targets and values give the same id. */
export function planId(plan: MigrationPlan): string {
  const lines = plan.targets.map((target) => `${target.store}\0${target.name}\0${target.valueHash}`).sort();
  return createHash("sha256").update(`${plan.hashKeyId}\n${lines.join("\n")}`).digest("hex").slice(0, 16);
}

export interface DiffOptions {
  /** `store\0name` -> the version vaultlift last wrote there (from the journal). */
  written?: ReadonlyMap<string, string>;
  /** `--force`: overwrite a value changed in the store since migration. */
  force?: boolean;
}

/**
 * Reads every target's current value, batched per store, and classifies it. A value that
 * differs from the plan where the store's current version is not the one vaultlift wrote
 * was changed in the store (a rotation): `drift`, never overwritten without `force`.
 */
export async function diffPlan(plan: MigrationPlan, stores: Stores, options: DiffOptions = {}): Promise<Change[]> {
  const current = new Map<Store, Map<string, { value: string; versionId: string }>>();
  for (const store of ["secretsmanager", "ssm"] as const) {
    const names = plan.targets.filter((target) => target.store === store).map((target) => target.name);
    if (names.length > 0) current.set(store, await stores[store].readMany(names));
  }
  return plan.targets.map((target) => {
    const existing = current.get(target.store)?.get(target.name);
    if (!existing) return { target, kind: "create" };
    if (existing.value === target.value) return { target, kind: "no change", currentVersionId: existing.versionId };
    const ours = options.written?.get(`${target.store}\0${target.name}`);
    const drifted = ours !== undefined && ours !== existing.versionId && !options.force;
    return { target, kind: drifted ? "drift" : "modified", currentVersionId: existing.versionId };
  });
}

/** `[create] NAME` lines for the dry run; values never appear. */
export function formatChanges(changes: readonly Change[]): string {
  const label = (change: Change) => (change.target.store === "ssm" ? `${change.target.name} (ssm)` : change.target.name);
  return changes
    .map((change) => (change.kind === "drift" ? `[drift] ${label(change)}: changed in the store since migration (--force overwrites it)\n` : `[${change.kind}] ${label(change)}\n`))
    .join("");
}

/** Changes that write: drift is reported, never written. */
export function isWrite(change: Change): boolean {
  return change.kind === "create" || change.kind === "modified";
}

export interface ApplyOptions {
  stores: Stores;
  hasher: ValueHasher;
  concurrency: number;
  journal?: Journal;
  /** Aborting stops new writes; writes in flight finish and are verified and journalled. */
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

export interface ApplyFailure {
  name: string;
  store: Store;
  reason: string;
}

export interface ApplyReport {
  created: number;
  modified: number;
  unchanged: number;
  verified: number;
  failed: ApplyFailure[];
  /** Targets not started because the run was interrupted. */
  notStarted: number;
  interrupted: boolean;
}

/** Secrets Manager reads a batch of 20: written values are read back 20 at a time. */
const CHUNK = 20;

export async function applyChanges(changes: readonly Change[], plan: MigrationPlan, options: ApplyOptions): Promise<ApplyReport> {
  const { stores, hasher, journal, signal } = options;
  const pending = changes.filter(isWrite);
  const report: ApplyReport = {
    created: 0,
    modified: 0,
    unchanged: changes.filter((change) => change.kind === "no change").length,
    verified: 0,
    failed: [],
    notStarted: 0,
    interrupted: false,
  };
  journal?.record({ event: "start", plan: planId(plan), targets: changes.length });
  let done = 0;
  options.onProgress?.(done, pending.length);

  // Writes stay in flight continuously; every CHUNK written are read back in one batch
  // meanwhile, so a slow retry holds up one write, not the whole chunk.
  const written: Change[] = [];
  const verifications: Promise<void>[] = [];
  const verifyWritten = () => {
    if (written.length > 0) verifications.push(verify(written.splice(0), stores, report, journal));
  };
  await runLimited(pending, options.concurrency, signal, async (change) => {
    const { target } = change;
    const token = hasher.token(target.name, target.valueHash, change.currentVersionId);
    const at = { store: target.store, name: target.name, valueHash: target.valueHash };
    journal?.record({ event: "write", ...at, token });
    try {
      const result = await stores[target.store].write(target.name, target.value, {
        kmsKeyId: target.kmsKeyId,
        ...(target.store === "secretsmanager" ? { clientRequestToken: token } : {}),
        ...(target.tier ? { tier: target.tier } : {}),
        ...(target.type ? { type: target.type } : {}),
        // A [modified] secret exists: put the version straight away instead of trying CreateSecret first.
        // The diff has just read its current version: the store need not read it again before writing.
        ...(change.kind === "create" ? { tags: target.tags } : { onlyUpdate: true, ...(change.currentVersionId !== undefined ? { baseVersionId: change.currentVersionId } : {}) }),
      });
      journal?.record({ event: "written", ...at, versionId: result.versionId });
      if (change.kind === "create") report.created += 1;
      else report.modified += 1;
      written.push(change);
      if (written.length >= CHUNK) verifyWritten();
    } catch (error) {
      const reason = oneLine(error);
      journal?.record({ event: "failed", ...at, reason });
      report.failed.push({ name: target.name, store: target.store, reason });
    }
    done += 1;
    options.onProgress?.(done, pending.length);
  });
  verifyWritten();
  await Promise.all(verifications);
  if (signal?.aborted) {
    report.interrupted = true;
    report.notStarted = pending.length - done;
  }
  journal?.record({
    event: "end",
    written: report.created + report.modified,
    unchanged: report.unchanged,
    failed: report.failed.length,
    ...(report.interrupted ? { interrupted: true } : {}),
  });
  return report;
}

/** Reads back what was written, batched, and compares it with the plan. */
async function verify(written: readonly Change[], stores: Stores, report: ApplyReport, journal: Journal | undefined): Promise<void> {
  for (const store of ["secretsmanager", "ssm"] as const) {
    const mine = written.filter((change) => change.target.store === store);
    if (mine.length === 0) continue;
    let values: Map<string, { value: string }>;
    try {
      values = await stores[store].readMany(mine.map((change) => change.target.name));
    } catch (error) {
      for (const { target } of mine) {
        const reason = `written, but the read-back failed: ${oneLine(error)}`;
        journal?.record({ event: "failed", store, name: target.name, valueHash: target.valueHash, reason });
        report.failed.push({ name: target.name, store, reason });
      }
      continue;
    }
    for (const { target } of mine) {
      const at = { store, name: target.name, valueHash: target.valueHash };
      if (values.get(target.name)?.value === target.value) {
        report.verified += 1;
        journal?.record({ event: "verified", ...at });
      } else {
        const reason = values.has(target.name) ? "read back a different value (another writer, or a token reused after a change)" : "not found when read back";
        journal?.record({ event: "failed", ...at, reason });
        report.failed.push({ name: target.name, store, reason });
      }
    }
  }
}

/** Runs `work` over items with at most `limit` in flight; stops starting new ones once `signal` aborts. */
async function runLimited<T>(items: readonly T[], limit: number, signal: AbortSignal | undefined, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length && !signal?.aborted) {
      const item = items[next] as T;
      next += 1;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

function oneLine(error: unknown): string {
  const err = error as { name?: string; message?: string };
  const message = (err?.message ?? String(error)).split("\n")[0] ?? "";
  return err?.name && err.name !== "Error" && err.name !== "VaultliftError" && !message.startsWith(err.name) ? `${err.name}: ${message}` : message;
}
