/**
 * `vaultlift secrets import FILE --prefix P`: a dotenv, JSON or YAML file of key/value
 * pairs becomes a migration plan, one secret per key under the prefix, shown as
 * `[create]`/`[modified]`/`[no change]` and written with `--apply` through the same
 * journalled apply as `vaultlift migrate`. Dotenv keys become lower-case leaves
 * (`DB_PASSWORD` -> `db-password`); JSON/YAML keys are the leaves as written.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { inputError, parseFailureAt } from "../../core/errors.ts";
import { defaultHashKey } from "../../core/fingerprint.ts";
import type { Store } from "../../core/naming.ts";
import type { CommandContext } from "../context.ts";
import { parseEnvFile } from "../exec/environment.ts";
import { storesFor } from "../store/index.ts";
import { diffPlan, formatChanges, isWrite } from "./apply.ts";
import { createCallCounter, formatCalls } from "./calls.ts";
import { legacyFingerprint, makeCandidate, type Candidate } from "./candidate.ts";
import { createValueHasher } from "./hash.ts";
import { formatPlanTable, planMigration, type Decision } from "./plan.ts";
import { applyWithJournal, printReport, watched } from "./run.ts";
import { readJournal, writtenVersions } from "./journal.ts";
import { stateDirectory } from "./state.ts";

export interface ImportOptions {
  prefix: string;
  store?: Store;
  apply?: boolean;
  journal?: string;
  concurrency?: string;
  /** Overwrite values changed in the store since vaultlift wrote them. */
  force?: boolean;
}

/** Candidates from the file, each decided to import under `prefix + leaf`. */
export function readImportFile(file: string, prefix: string): { candidates: Candidate[]; decisions: Map<string, Decision> } {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw inputError(`${file}: cannot read: ${(error as Error).message}`, { cause: error });
  }
  const extension = path.extname(file).toLowerCase();
  const entries: { key: string; leaf: string; value: string; line: number }[] = [];
  if (extension === ".json" || extension === ".yaml" || extension === ".yml") {
    let data: unknown;
    try {
      data = extension === ".json" ? JSON.parse(text) : parseYaml(text);
    } catch (error) {
      throw inputError(`${file}: not valid ${extension === ".json" ? "JSON" : "YAML"}${parseFailureAt(text, error)}`, { cause: error });
    }
    if (data === null || typeof data !== "object" || Array.isArray(data)) throw inputError(`${file}: expected an object of name: value pairs`);
    const lines = text.split("\n");
    for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
      if (value === null || value === undefined || value === "") throw inputError(`${file}: key "${key}" has no value`);
      const line = lines.findIndex((row) => row.includes(JSON.stringify(key)) || row.trimStart().startsWith(`${key}:`)) + 1;
      entries.push({ key, leaf: key, value: typeof value === "string" ? value : JSON.stringify(value), line: line || 1 });
    }
  } else {
    for (const entry of parseEnvFile(text, file)) {
      if (entry.reference) throw inputError(`${file}:${entry.line}: ${entry.key} is a reference, not a value: nothing to import`);
      entries.push({ key: entry.key, leaf: entry.key.toLowerCase().replace(/_/g, "-"), value: entry.value, line: entry.line });
    }
  }
  const candidates: Candidate[] = [];
  const decisions = new Map<string, Decision>();
  const base = prefix.endsWith("/") ? prefix : `${prefix}/`;
  for (const entry of entries) {
    const fingerprint = legacyFingerprint(file, entry.key);
    candidates.push(makeCandidate({ fingerprint, file, line: entry.line, ruleId: "import", key: entry.key }, entry.value));
    decisions.set(fingerprint, { action: "import", name: `${base}${entry.leaf}` });
  }
  return { candidates, decisions };
}

export async function runImport(context: CommandContext, file: string, options: ImportOptions): Promise<number> {
  const config = context.requireConfig();
  if (!options.prefix.startsWith("/")) throw inputError(`--prefix "${options.prefix}" must be a full name prefix such as /${config.org}/team/env/app/`);
  const concurrency = options.concurrency === undefined ? config.migrate.concurrency : Number(options.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) throw inputError(`--concurrency must be 1 to 64 (got ${options.concurrency})`);
  const { candidates, decisions } = readImportFile(file, options.prefix);
  if (candidates.length === 0) throw inputError(`${file}: no keys to import`);
  // The process key, as for the fingerprints and in migrate: value hashes and journal keys match across both.
  const hasher = createValueHasher(defaultHashKey());
  const plan = planMigration(candidates, { config, parts: {}, decisions, hasher, now: new Date(), ...(options.store ? { store: options.store } : {}) });
  process.stderr.write(formatPlanTable(plan));
  if (plan.problems.length > 0) {
    const [first, ...rest] = plan.problems.map((problem) => problem.message);
    throw inputError(`${first}${rest.length > 0 ? ` (and ${rest.length} more problems)` : ""}`, { details: rest });
  }
  const calls = createCallCounter();
  const clients = context.aws();
  const stores = storesFor({ secretsManager: watched(calls, "secretsmanager", clients.secretsManager), ssm: watched(calls, "ssm", clients.ssm) });
  const journalFile = options.journal ?? path.join(stateDirectory(), "journal.jsonl");
  // As migrate: a value changed in the store since vaultlift wrote it is drift, written only with --force.
  const changes = await diffPlan(plan, stores, { written: writtenVersions(readJournal(journalFile)), force: options.force ?? false });
  process.stdout.write(formatChanges(changes));
  const pending = changes.filter(isWrite).length;
  const drifted = changes.filter((change) => change.kind === "drift").length;
  const driftNote = drifted > 0 ? `, ${drifted} changed in the store since migration (not written; --force overwrites)` : "";
  if (!options.apply || pending === 0) {
    process.stderr.write(`${options.apply ? "" : "dry run: "}${pending} to write, ${changes.length - pending - drifted} unchanged${driftNote}${!options.apply && pending > 0 ? "; run with --apply to write" : ""}\n`);
    process.stderr.write(`API calls: ${formatCalls(calls)}\n`);
    return drifted > 0 ? 1 : 0;
  }
  const report = await applyWithJournal(context, plan, changes, { stores, hasher, concurrency, journalFile });
  printReport(report, calls);
  if (drifted > 0) process.stderr.write(`${drifted} changed in the store since migration: not written (--force overwrites)\n`);
  if (report.interrupted) return 130;
  return report.failed.length > 0 ? 3 : drifted > 0 ? 1 : 0;
}
