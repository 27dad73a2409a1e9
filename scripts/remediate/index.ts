/**
 * A remediation run, as `vaultlift remediate` does it: find every place a migrated value
 * still sits, list the action for each (dry run), and with `--apply` rewrite the working
 * tree and delete the vault object versions that hold only migrated values.
 */
import path from "node:path";
import { confirmOnTerminal } from "../output.ts";
import { inputError } from "../../core/errors.ts";
import type { CommandContext } from "../context.ts";
import { createValueHasher } from "../migrate/hash.ts";
import { readJournal } from "../migrate/journal.ts";
import { stateDirectory } from "../migrate/state.ts";
import { defaultHashKey } from "../../core/fingerprint.ts";
import { DEFAULT_MAX_FILE_BYTES, scanSources, sourcesFor } from "../scan/index.ts";
import { gatherEvidence, isImported, migratedFromJournal } from "./evidence.ts";
import { formatRemediation, planRemediation, type RemediationFormat } from "./plan.ts";
import { purgeInstructions, writePurgeFile } from "./purge.ts";
import { applyEdits, formatEdits, planEdits } from "./rewrite.ts";
import { deleteVersions } from "./vault.ts";

export interface RemediateOptions {
  history?: boolean;
  format?: RemediationFormat;
  apply?: boolean;
  yes?: boolean;
  purgeFile?: string;
  journal?: string;
}

export async function runRemediation(context: CommandContext, sources: string[], options: RemediateOptions): Promise<number> {
  const config = context.config;
  const format = options.format ?? "table";
  const journalFile = options.journal ?? path.join(stateDirectory(), "journal.jsonl");
  const migrated = migratedFromJournal(readJournal(journalFile));
  if (migrated.size === 0) throw inputError(`${journalFile}: no verified writes: run \`vaultlift migrate ... --apply\` first (or pass --journal FILE)`);
  const hasS3 = sources.some((source) => source.startsWith("s3://"));
  if (options.apply && hasS3 && !options.yes && !process.stdin.isTTY) throw inputError("deleting vault object versions needs a confirmation and there is no terminal: pass --yes");

  const maxBytes = config?.scan.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const evidence = await gatherEvidence(sources, {
    s3: () => context.aws().s3(),
    history: options.history ?? false,
    maxBytes,
    // The key migrate hashed with: `loadHashKey` takes a working folder, and the state folder as one would be a second key.
    hasher: createValueHasher(defaultHashKey()),
    migrated,
    scan: async (source) => (await scanSources(sourcesFor([source], { history: options.history ?? false, maxFileBytes: maxBytes }), { allowPaths: config?.scan.allowPaths ?? [] })).findings,
  });
  const inHistory = [...migrated.values()].filter((secrets) => !isImported(secrets) && secrets.some((secret) => secret.notImported === "history")).length;
  if (!options.history && inHistory > 0) evidence.notes.push(`${inHistory} value(s) migrate left out as exposed are in git history: run with --history to list, rotate and purge them`);
  for (const note of evidence.notes) process.stderr.write(`note: ${note}\n`);
  const plan = planRemediation(evidence, migrated, config?.secrets ?? []);
  process.stdout.write(formatRemediation(plan, format));
  const say = (text: string) => (format === "json" ? process.stderr : process.stdout).write(text);

  if (options.purgeFile) {
    const repositories = evidence.repositories.filter((repository) => repository.valueHashes.size > 0);
    const values = new Set(repositories.flatMap((repository) => [...repository.valueHashes].map((hash) => evidence.values.get(hash) as string)));
    writePurgeFile(options.purgeFile, values);
    process.stderr.write(`wrote ${options.purgeFile} (mode 0600): ${values.size} value(s) to replace with ***REMOVED***\n`);
    for (const repository of repositories) process.stderr.write(`${purgeInstructions(repository, options.purgeFile).join("\n")}\n`);
    if (!options.history) process.stderr.write("note: without --history only the values in the working tree are in the purge file\n");
  }

  if (!options.apply) {
    if (plan.actions.length > 0) process.stderr.write("dry run: nothing changed; --apply rewrites the working tree and deletes the vault object versions listed\n");
    return 0;
  }
  const edits = planEdits(plan.replacements, evidence.values);
  applyEdits(edits);
  say(formatEdits(edits, evidence.values.values()));
  process.stderr.write(`rewrote ${edits.length} file(s) in the working tree (nothing committed)\n`);

  if (plan.deletions.length === 0) return 0;
  if (!options.yes) {
    const message = `Delete ${plan.deletions.length} vault object version(s) holding migrated values? This cannot be undone.`;
    if (!(await confirmOnTerminal(message))) {
      process.stderr.write("no object version deleted\n");
      return 1;
    }
  }
  const outcomes = await deleteVersions(await context.aws().s3(), plan.deletions);
  for (const outcome of outcomes) say(`${outcome.error ? "failed" : "deleted"} ${outcome.location}${outcome.error ? `: ${outcome.error}` : ""}\n`);
  return outcomes.some((outcome) => outcome.error) ? 3 : 0;
}
