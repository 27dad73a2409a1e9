/**
 * A migration run, as `vaultlift migrate` does it: collect candidates from directories and
 * s3:// vault buckets, turn them into a plan (suggested names, a mapping file, or interactive
 * decisions), show it as `[create]`/`[modified]`/`[no change]` lines, and with `--apply` (or a
 * confirmed interactive session) write it with the journal, then report counts and API calls.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { ExitCode, inputError, VaultliftError } from "../../core/errors.ts";
import { validateName, isValidSegment, type Store } from "../../core/naming.ts";
import type { CommandContext } from "../context.ts";
import { startProgress } from "../output.ts";
import { appendToBaseline } from "./allowlist.ts";
import { applyChanges, diffPlan, formatChanges, isWrite, planId, type ApplyReport, type Change } from "./apply.ts";
import { createCallCounter, formatCalls, type CallCounter } from "./calls.ts";
import { collectCandidates } from "./collect.ts";
import { createValueHasher } from "./hash.ts";
import { checkOutputFile, loadHashKey, removeCreated, stateDirectory, statePath, writePrivateFile } from "./state.ts";
import { confirmApply, decideInteractively, isPromptExit } from "./interactive.ts";
import { journalKey, lockJournal, openJournal, readJournal, resumeState, writtenVersions } from "./journal.ts";
import { checkMapping, loadMapping } from "./mapping.ts";
import { formatPlanTable, isConfiguration, planMigration, planToJson, resolveNameDefaults, suggestName, type Decision, type MigrationPlan } from "./plan.ts";
import { readBaseline, scanSources, sourcesFor } from "../scan/index.ts";
import { storesFor } from "../store/index.ts";
import { nextSteps } from "../remediate/next-steps.ts";

export interface MigrateOptions {
  interactive?: boolean;
  mapping?: string;
  apply?: boolean;
  team?: string;
  env?: string;
  app?: string;
  store?: Store;
  history?: boolean;
  versions?: boolean;
  planOut?: string;
  journal?: string;
  baseline?: string;
  concurrency?: string;
  /** Overwrite values changed in the store since vaultlift migrated them. */
  force?: boolean;
}

/** Exit code after Ctrl-C, as shells report it. */
const INTERRUPTED = 130;
export const DEFAULT_BASELINE = "vaultlift-baseline.json";

export async function runMigration(context: CommandContext, sources: string[], options: MigrateOptions): Promise<number> {
  const created: string[] = [];
  try {
    return await planAndApply(context, sources, options, created);
  } catch (error) {
    // A run refused for bad input leaves nothing behind: only what it created, so a concurrent run keeps its state.
    const planSaved = options.planOut !== undefined && existsSync(options.planOut);
    if (!planSaved && error instanceof VaultliftError && error.exitCode === ExitCode.input) removeCreated(created);
    throw error;
  }
}

async function planAndApply(context: CommandContext, sources: string[], options: MigrateOptions, created: string[]): Promise<number> {
  const config = context.requireConfig();
  if (options.interactive && options.mapping) throw inputError("--interactive and --mapping are two ways to decide: choose one");
  if (options.interactive && !(process.stdin.isTTY && process.stdout.isTTY)) throw inputError("--interactive needs a terminal: run it in one, or decide in CI with --mapping FILE");
  // With a bucket among the sources, --versions applies to it; with none it would do nothing.
  if (options.versions && !sources.some((source) => source.startsWith("s3://"))) throw inputError(`--versions applies to s3:// sources, not to ${sources[0]}`);
  if (options.planOut !== undefined) checkOutputFile(options.planOut, "--plan-out");
  // A journal in the state directory is fine before that directory exists: it is made before applying.
  if (options.journal !== undefined && path.resolve(path.dirname(options.journal)) !== statePath()) checkOutputFile(options.journal, "--journal");
  const concurrency = options.concurrency === undefined ? config.migrate.concurrency : Number(options.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) throw inputError(`--concurrency must be 1 to 64 (got ${options.concurrency})`);
  const parts = resolveNameDefaults(config, { team: options.team, env: options.env, app: options.app });
  const mapping = options.mapping ? loadMapping(options.mapping, config.template) : undefined;
  const baselineFile = options.baseline ?? DEFAULT_BASELINE;
  const baseline = existsSync(baselineFile) ? await readBaseline(baselineFile) : undefined;

  // Loaded before scanning: fingerprints and value hashes share it, and a refused run removes it if it made it.
  const hashKey = loadHashKey(undefined, undefined, created);
  const hasher = createValueHasher(hashKey);
  const calls = createCallCounter();
  const clients = context.aws();
  const collected = await collectCandidates(sources, {
    s3: watched(calls, "s3", clients.s3),
    versions: options.versions ?? false,
    maxBytes: config.scan.maxFileBytes,
    scan: async (source) => (await scanSources(sourcesFor([source], { history: options.history ?? false, maxFileBytes: config.scan.maxFileBytes }), { allowPaths: config.scan.allowPaths, hashKey })).findings,
    ...(baseline ? { baseline } : {}),
    skipPaths: config.migrate.skipPaths,
  });
  for (const note of collected.notes) process.stderr.write(`note: ${note}\n`);
  const { candidates, samples } = collected;
  const defaultStore = options.store ?? config.migrate.store;

  let decisions: Map<string, Decision> | undefined = mapping ? checkMapping(mapping, [...candidates, ...samples]) : undefined;
  let allowlisted: typeof candidates = [];
  if (options.interactive) {
    try {
      const answersFile = path.join(stateDirectory(), "answers.json");
      const result = await decideInteractively(candidates, {
        suggest: (candidate) => {
          const store = isConfiguration(candidate) ? "ssm" : defaultStore;
          return { name: suggestName(candidate, config, parts, store), store };
        },
        checkName: (name, store) => {
          if (!name.includes("/")) return isValidSegment(name) ? undefined : 'a leaf may only hold letters, digits, "_", "." and "-"';
          return validateName(config.template, name, store)[0];
        },
        target: (candidate, decision) => {
          try {
            const single = planMigration([candidate], { config, parts, ...(options.store ? { store: options.store } : {}), decisions: new Map([[candidate.fingerprint, decision]]), hasher, now: new Date() });
            const [target] = single.targets;
            return target ? { name: target.name, store: target.store } : (single.problems[0]?.message ?? "not imported");
          } catch (error) {
            return (error as Error).message;
          }
        },
        answersFile,
      });
      if (result.resumed > 0) process.stderr.write(`resumed: ${result.resumed} answer(s) from an earlier session kept (${answersFile}; delete it to start over)\n`);
      decisions = result.decisions;
      allowlisted = result.allowlisted;
    } catch (error) {
      if (!isPromptExit(error)) throw error;
      process.stderr.write("interrupted: nothing was written\n");
      return INTERRUPTED;
    }
  }

  const plan = planMigration(candidates, {
    config,
    parts,
    ...(options.store ? { store: options.store } : {}),
    ...(decisions ? { decisions } : {}),
    samples,
    ...(mapping?.hashKeyId ? { reviewedKeyId: mapping.hashKeyId } : {}),
    hasher,
    now: new Date(),
  });
  process.stderr.write(formatPlanTable(plan));
  // Written with its problems too: the file is what the user reviews and fixes.
  if (options.planOut) writePrivateFile(options.planOut, planToJson(plan), "--plan-out");
  if (plan.problems.length > 0) {
    const [first, ...rest] = plan.problems.map((problem) => problem.message);
    throw inputError(`${first}${rest.length > 0 ? ` (and ${rest.length} more problems)` : ""}`, { details: rest });
  }

  const journalFile = options.journal ?? path.join(stateDirectory(), "journal.jsonl");
  const stores = storesFor({ secretsManager: watched(calls, "secretsmanager", clients.secretsManager), ssm: watched(calls, "ssm", clients.ssm) });
  const changes = await diffPlan(plan, stores, { written: writtenVersions(readJournal(journalFile)), force: options.force ?? false });
  process.stdout.write(formatChanges(changes));
  const pending = changes.filter(isWrite);
  const drifted = count(changes, "drift");
  const summary = `${count(changes, "create")} to create, ${count(changes, "modified")} to modify, ${count(changes, "no change")} unchanged${drifted > 0 ? `, ${drifted} changed in the store since migration (not written; --force overwrites)` : ""}`;

  let go = options.apply ?? false;
  if (options.interactive) {
    try {
      go = pending.length > 0 && (await confirmApply(`Write ${pending.length} secret(s) to AWS now? (${summary})`));
    } catch (error) {
      if (!isPromptExit(error)) throw error;
      process.stderr.write("interrupted: nothing was written\n");
      return INTERRUPTED;
    }
    if (allowlisted.length > 0) process.stderr.write(`allowlisted ${appendToBaseline(baselineFile, allowlisted)} fingerprint(s) in ${baselineFile}\n`);
  }
  if (!go || pending.length === 0) {
    process.stderr.write(`${go || options.interactive ? "" : "dry run: "}${summary}${!go && pending.length > 0 && !options.interactive ? "; run with --apply to write" : ""}\n`);
    process.stderr.write(`API calls: ${formatCalls(calls)}\n`);
    return drifted > 0 ? 1 : 0;
  }

  const report = await applyWithJournal(context, plan, changes, { stores, hasher, concurrency, journalFile });
  printReport(report, calls);
  if (!report.interrupted && report.failed.length === 0) process.stderr.write(`\n${nextSteps(plan, sources, { history: options.history, journal: options.journal }).join("\n")}\n`);
  if (report.interrupted) return INTERRUPTED;
  return report.failed.length > 0 ? 3 : drifted > 0 ? 1 : 0;
}

export async function applyWithJournal(
  context: CommandContext,
  plan: MigrationPlan,
  changes: Change[],
  options: { stores: ReturnType<typeof storesFor>; hasher: ReturnType<typeof createValueHasher>; concurrency: number; journalFile: string },
): Promise<ApplyReport> {
  const { journalFile } = options;
  // The default journal lives in the state directory, made when the run starts; a --journal elsewhere is checked first.
  if (path.resolve(path.dirname(journalFile)) !== path.resolve(stateDirectory())) checkOutputFile(journalFile, "--journal");
  const release = lockJournal(journalFile);
  try {
    return await applyLocked(context, plan, changes, options, journalFile);
  } finally {
    release();
  }
}

async function applyLocked(
  context: CommandContext,
  plan: MigrationPlan,
  changes: Change[],
  options: { stores: ReturnType<typeof storesFor>; hasher: ReturnType<typeof createValueHasher>; concurrency: number },
  journalFile: string,
): Promise<ApplyReport> {
  const previous = resumeState(readJournal(journalFile), planId(plan));
  if (previous.run) {
    const landed = changes.filter((change) => change.kind === "no change" && previous.inFlight.has(journalKey(change.target.store, change.target.name, change.target.valueHash)));
    process.stderr.write(
      `resuming run ${previous.run}: ${previous.verified.size} verified before, ${previous.inFlight.size} in flight when it stopped (${landed.length} of them had landed)\n`,
    );
  }
  const journal = openJournal(journalFile, `r-${new Date().toISOString().replace(/[-:.]/g, "")}-${randomBytes(3).toString("hex")}`);
  const recorded = new Set<string>();
  for (const skip of plan.skipped) {
    const exposed = skip.exposed;
    if (!exposed || recorded.has(journalKey(exposed.store, exposed.name, exposed.valueHash))) continue;
    recorded.add(journalKey(exposed.store, exposed.name, exposed.valueHash));
    journal.record({ event: "exposed", ...exposed });
  }
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(INTERRUPTED);
    process.stderr.write("\nstopping: letting writes in flight finish (Ctrl-C again to quit at once)\n");
    controller.abort();
  };
  process.on("SIGINT", onSigint);
  const pending = changes.filter(isWrite).length;
  const bar = startProgress(context.progress, "writing", pending);
  try {
    return await applyChanges(changes, plan, {
      stores: options.stores,
      hasher: options.hasher,
      concurrency: options.concurrency,
      journal,
      signal: controller.signal,
      onProgress: (done) => bar?.update(done),
    });
  } finally {
    bar?.stop();
    process.removeListener("SIGINT", onSigint);
  }
}

export function printReport(report: ApplyReport, calls: CallCounter): void {
  const lines = [
    `created ${report.created}, modified ${report.modified}, unchanged ${report.unchanged}, verified ${report.verified}, failed ${report.failed.length}`,
    ...report.failed.map((failure) => `  failed ${failure.name} (${failure.store}): ${failure.reason}`),
    ...(report.interrupted ? [`interrupted: ${report.notStarted} not started; run the same command again to resume`] : []),
    `API calls: ${formatCalls(calls)}`,
  ];
  process.stderr.write(`${lines.join("\n")}\n`);
}

function count(changes: readonly Change[], kind: Change["kind"]): number {
  return changes.filter((change) => change.kind === kind).length;
}

/** The client, built on first use, with the call counter watching it. */
export function watched<T extends object>(calls: CallCounter, service: string, client: () => Promise<T>): () => Promise<T> {
  return async () => {
    const built = await client();
    calls.watch(service, built);
    return built;
  };
}
