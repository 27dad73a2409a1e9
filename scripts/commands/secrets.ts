/**
 * `vaultlift secrets ...`: everyday secret management for both stores, written once over
 * `SecretStore`. Without `--store`, a NAME is looked up in Secrets Manager first, then SSM.
 * Values reach stdout only from `get`, `dump` and `diff --show-values`.
 */
import { readFile } from "node:fs/promises";
import { Option, type Command } from "commander";
import { inputError } from "../../core/errors.ts";
import { conventionTags, parseName, type Template } from "../../core/naming.ts";
import { action } from "../context.ts";
import { formatDate, startProgress, writeJson, writeTable } from "../output.ts";
import { diffSides, diffValues, formatDiff } from "../store/diff.ts";
import { checkDumpDir, readValues, writeDump } from "../store/dump.ts";
import { EXPORT_FORMATS, exportSecrets, type ExportFormat } from "../store/export.ts";
import type { ImportOptions } from "../migrate/import.ts";
import { jsonField } from "../store/field.ts";
import { checkRecoveryDays } from "../store/secrets-manager.ts";
import { parseSecretRef, describeSelector, isCurrent, selectorFromFlags, type SecretRef } from "../store/selector.ts";
import { checkWrite, listAll, locate, parseStore, readAnywhere, storeOrder, storesFor, updateValue } from "../store/index.ts";
import type { SecretSummary, SecretValue, SecretVersion, Store } from "../store/types.ts";

const STORE_HELP = "secretsmanager or ssm (default: look in Secrets Manager, then SSM)";

const storeOption = () => new Option("--store <store>", STORE_HELP).choices(["secretsmanager", "ssm"]);
const formatOption = () => new Option("--format <format>", "output format").choices(["table", "json"]).default("table");

export function register(command: Command): void {
  const secrets = command
    .addHelpText(
      "after",
      `
A NAME is looked up in Secrets Manager first, then in SSM Parameter Store; --store picks one.
Wherever a version is named, a compact selector works too:
  NAME#VERSION_ID      a Secrets Manager version id (SSM: a version number)
  NAME:STAGE_OR_LABEL  AWSCURRENT, AWSPREVIOUS or an SSM label (NAME:3 is SSM version 3)
  NAME~N               N versions before the current one`,
    );

  secrets
    .command("list")
    .description("list secrets and parameters: name, store, last changed, tags, deletion date")
    .option("--prefix <prefix>", "only names under this prefix")
    .option("--include-deleted", "include secrets scheduled for deletion")
    .option("--no-tags", "skip SSM tags (they cost one call per parameter)")
    .addOption(storeOption())
    .addOption(formatOption())
    .action(
      action(async (context, options: { prefix?: string; includeDeleted?: boolean; tags: boolean; store?: Store; format: string }) => {
        const stores = storeOrder(storesFor(context.aws()), parseStore(options.store));
        const summaries = await listAll(stores, { prefix: options.prefix, includeDeleted: options.includeDeleted, withTags: options.tags });
        if (options.format === "json") return writeJson(summaries.map(summaryJson));
        writeTable(
          ["NAME", "STORE", "LAST CHANGED", "TAGS", "DELETION"],
          summaries.map((s) => [
            s.name,
            s.store,
            formatDate(s.lastChanged),
            Object.entries(s.tags)
              .map(([key, value]) => `${key}=${value}`)
              .join(","),
            s.deletionDate ? `scheduled ${formatDate(s.deletionDate)}` : "",
          ]),
        );
      }),
    );

  secrets
    .command("versions")
    .description("list the versions of a secret: id (SSM: number), stages or labels, created")
    .argument("<name>")
    .addOption(storeOption())
    .addOption(formatOption())
    .action(
      action(async (context, name: string, options: { store?: Store; format: string }) => {
        const { store } = await locate(storesFor(context.aws()), plainName(name), parseStore(options.store));
        const versions = await store.versions(plainName(name));
        if (options.format === "json") return writeJson(versions.map(versionJson));
        writeTable(
          ["VERSION", "STAGES", "CREATED"],
          versions.map((v) => [v.id, v.stages.join(","), formatDate(v.created)]),
        );
      }),
    );

  secrets
    .command("get")
    .description("print a secret value, raw, for scripts: $(vaultlift secrets get NAME --field password)")
    .argument("<name>", "NAME, or NAME#VERSION_ID, NAME:STAGE_OR_LABEL, NAME~N")
    .option("--version-id <id>", "a Secrets Manager version id")
    .addOption(new Option("--stage <stage>", "a version stage").choices(["AWSCURRENT", "AWSPREVIOUS"]))
    .option("--version <n>", "an SSM version number")
    .option("--label <label>", "an SSM label")
    .option("--field <key>", "print one key of a JSON value")
    .addOption(storeOption())
    .addHelpText("after", "\nThe value is printed exactly as stored; a newline is added only when stdout is a terminal.")
    .action(
      action(async (context, text: string, options: { versionId?: string; stage?: string; version?: string; label?: string; field?: string; store?: Store }) => {
        const ref = parseSecretRef(text);
        const selector = selectorFromFlags(options, ref.selector);
        const secret = await readAnywhere(storesFor(context.aws()), ref.name, selector, parseStore(options.store));
        const output = options.field !== undefined ? jsonField(secret, options.field) : secret.binary ? Buffer.from(secret.value, "base64") : secret.value;
        process.stdout.write(output);
        if (process.stdout.isTTY && !output.toString().endsWith("\n")) process.stdout.write("\n");
      }),
    );

  secrets
    .command("dump")
    .description("print every secret under a prefix as JSON, or write one 0600 file each under DIR (batched reads)")
    .option("--prefix <prefix>", "only names under this prefix")
    .option("--out <dir>", "write one file per secret: DIR/<store>/<name>; DIR is created 0700")
    .option("--force", "allow a DIR inside a git work tree")
    .addOption(storeOption())
    .action(
      action(async (context, options: { prefix?: string; out?: string; force?: boolean; store?: Store }) => {
        // Before any read: a DIR that cannot take the dump should not cost a listing of every value.
        if (options.out !== undefined) checkDumpDir(options.out, options);
        const stores = storeOrder(storesFor(context.aws()), parseStore(options.store));
        const summaries = await listAll(stores, { prefix: options.prefix });
        const progress = startProgress(context.progress, "reading", summaries.length);
        const { values, missing } = await readValues(stores, summaries, () => progress?.increment()).finally(() => progress?.stop());
        for (const summary of missing) process.stderr.write(`vaultlift: skipped ${summary.name} (${summary.store}): no value\n`);
        if (options.out === undefined) return writeJson(values.map(valueJson));
        const files = await writeDump(options.out, values, {
          force: options.force,
          onLeftover: (staging) => process.stderr.write(`removed ${staging}, a partial dump left by an interrupted run\n`),
        });
        process.stderr.write(`wrote ${files.length} secret${files.length === 1 ? "" : "s"} under ${options.out}\n`);
      }),
    );

  secrets
    .command("export")
    .description("write every value under a prefix as dotenv, JSON or YAML: to a 0600 file, or to a pipe (never a terminal)")
    .requiredOption("--prefix <prefix>", "names under this prefix")
    .addOption(new Option("--format <format>", "file format").choices([...EXPORT_FORMATS]).default("dotenv"))
    .option("--out <file>", "write to FILE (mode 0600) instead of standard output")
    .option("--force", "allow a FILE inside a git work tree")
    .addOption(storeOption())
    .addHelpText("after", "\ndotenv keys are the variables `vaultlift exec --prefix` sets (db-password -> DB_PASSWORD); JSON/YAML keys are the names below the prefix.")
    .action(
      action(async (context, options: { prefix: string; format: ExportFormat; out?: string; force?: boolean; store?: Store }) => {
        if (options.out === undefined && process.stdout.isTTY) throw inputError("export writes values: pass --out FILE (mode 0600) or pipe the output to the program that needs it");
        const stores = storeOrder(storesFor(context.aws()), parseStore(options.store));
        const { text, count, missing } = await exportSecrets(stores, options);
        for (const summary of missing) process.stderr.write(`vaultlift: skipped ${summary.name} (${summary.store}): no value\n`);
        if (text !== undefined) return void process.stdout.write(text);
        process.stderr.write(`wrote ${count} secret${count === 1 ? "" : "s"} to ${options.out} (mode 0600)\n`);
      }),
    );

  secrets
    .command("import")
    .description("plan secrets from a dotenv, JSON or YAML file under a prefix; --apply writes them (journalled, verified, as migrate does)")
    .argument("<file>", "dotenv (KEY=value), .json or .yaml/.yml object of name: value")
    .requiredOption("--prefix <prefix>", "full name prefix, e.g. /acme/payments/prod/api/")
    .option("--apply", "write to AWS (default: dry run)")
    .option("--journal <file>", "apply journal (default: .vaultlift/journal.jsonl)")
    .option("--concurrency <n>", "writes in flight (default: the config's migrate.concurrency)")
    .option("--force", "overwrite values changed in the store since vaultlift wrote them (reported as [drift] otherwise)")
    .addOption(new Option("--store <store>", "target store (default: the config's migrate.store)").choices(["secretsmanager", "ssm"]))
    .addHelpText("after", "\ndotenv keys become lower-case leaves (DB_PASSWORD -> db-password); JSON/YAML keys are used as written.")
    // Loaded here: the migrate machinery (and its prompts) is not needed by the other subcommands.
    .action(action(async (context, file: string, options: ImportOptions) => (await import("../migrate/import.ts")).runImport(context, file, options)));

  secrets
    .command("create")
    .description("create a secret from a file or standard input (Secrets Manager unless --store ssm)")
    .argument("<name>")
    .option("--file <file>", "read the value from FILE (exact bytes)")
    .option("--value-stdin", "read the value from standard input (exact bytes: use printf, not echo)")
    .option("--description <text>", "a description")
    .option("--kms-key-id <key>", "KMS key id, ARN or alias (default: the config's kms.alias)")
    .option("--tag <key=value>", "a tag, repeatable", collectTags, {})
    .option("--ignore-convention", "allow a name outside the config's naming template")
    .addOption(storeOption())
    .action(
      action(
        async (
          context,
          name: string,
          options: { file?: string; valueStdin?: boolean; description?: string; kmsKeyId?: string; tag: Record<string, string>; ignoreConvention?: boolean; store?: Store },
        ) => {
          const template = context.config?.template;
          if (template && !options.ignoreConvention && parseName(template, name) === undefined) {
            throw inputError(`"${name}" does not follow the naming template ${template.source} (--ignore-convention to allow)`);
          }
          const value = await readValue(options);
          const store = storesFor(context.aws())[parseStore(options.store) ?? "secretsmanager"];
          const result = await store.write(name, value, {
            onlyCreate: true,
            description: options.description,
            kmsKeyId: options.kmsKeyId ?? context.config?.kms.alias,
            tags: createTags(template, name, options.tag),
          });
          process.stdout.write(`created ${name} in ${store.kind} (version ${result.versionId})\n`);
        },
      ),
    );

  secrets
    .command("update")
    .description("put a new value from a file or standard input; writes nothing when the value is unchanged")
    .argument("<name>")
    .option("--file <file>", "read the value from FILE (exact bytes)")
    .option("--value-stdin", "read the value from standard input (exact bytes: use printf, not echo)")
    .addOption(storeOption())
    .action(
      action(async (context, name: string, options: { file?: string; valueStdin?: boolean; store?: Store }) => {
        const value = await readValue(options);
        checkWrite(parseStore(options.store), name, value);
        const result = await updateValue(storesFor(context.aws()), name, value, parseStore(options.store));
        process.stdout.write(result.versionId === undefined ? `no change: ${name}\n` : `updated ${name} in ${result.store} (version ${result.versionId})\n`);
      }),
    );

  secrets
    .command("delete")
    .description("delete a secret: Secrets Manager keeps it for a recovery window unless --force; SSM needs --force")
    .argument("<name>")
    .option("--recovery-days <days>", "recovery window, 7 to 30 days (default 30)")
    .option("--force", "delete without recovery; the name can be reused at once")
    .addOption(storeOption())
    .action(
      action(async (context, name: string, options: { recoveryDays?: string; force?: boolean; store?: Store }) => {
        if (options.force && options.recoveryDays !== undefined) throw inputError("--recovery-days and --force exclude each other");
        const recoveryDays = options.recoveryDays === undefined ? undefined : Number(options.recoveryDays);
        if (recoveryDays !== undefined) checkRecoveryDays(recoveryDays);
        const { store, summary } = await locate(storesFor(context.aws()), name, parseStore(options.store));
        if (store.kind === "ssm" && !options.force) throw inputError(`"${name}" is an SSM parameter, which cannot be recovered after deletion: pass --force`);
        if (summary.deletionDate && !options.force) {
          throw inputError(`"${name}" is already scheduled for deletion (${formatDate(summary.deletionDate)}): --force deletes it now, \`secrets restore\` cancels`);
        }
        await store.delete(name, { force: options.force, recoveryDays });
        if (options.force) process.stdout.write(`deleted ${name} from ${store.kind}, without recovery\n`);
        else process.stdout.write(`scheduled ${name} for deletion in ${recoveryDays ?? 30} days: \`vaultlift secrets restore ${name}\` cancels\n`);
      }),
    );

  secrets
    .command("restore")
    .description("cancel a scheduled deletion (Secrets Manager)")
    .argument("<name>")
    .action(
      action(async (context, name: string) => {
        const { store, summary } = await locate(storesFor(context.aws()), name, "secretsmanager").catch(async (error: unknown) => {
          if (await storesFor(context.aws()).ssm.describe(name)) throw inputError(`"${name}" is an SSM parameter: SSM deletes at once and has nothing to restore`);
          throw error;
        });
        if (!summary.deletionDate) {
          process.stdout.write(`${name} is not scheduled for deletion\n`);
          return;
        }
        await store.restore(name);
        process.stdout.write(`restored ${name}\n`);
      }),
    );

  secrets
    .command("diff")
    .description("compare two versions of a secret (default AWSPREVIOUS vs AWSCURRENT); exit 1 when they differ")
    .argument("<name>", "NAME, or a selector such as NAME~2")
    .argument("[a]", "a version of NAME (AWSPREVIOUS, ~N, #ID, :LABEL, an SSM version number) or another selector")
    .argument("[b]", "the version to compare it with (default: the current one)")
    .option("--show-values", "print values instead of masking them")
    .addOption(storeOption())
    .addHelpText("after", "\nJSON objects are compared key by key (+ added, - removed, ~ changed); values are masked unless --show-values.")
    .action(
      action(async (context, name: string, a: string | undefined, b: string | undefined, options: { showValues?: boolean; store?: Store }) => {
        const [left, right] = diffSides(name, a, b);
        const stores = storesFor(context.aws());
        const preferred = parseStore(options.store);
        const before = await readAnywhere(stores, left.name, left.selector, preferred);
        const after = await readAnywhere(stores, right.name, right.selector, preferred ?? (right.name === before.name ? before.store : undefined));
        const diff = diffValues(before.value, after.value);
        process.stdout.write(`--- ${sideLabel(left, before)}\n+++ ${sideLabel(right, after)}\n`);
        const lines = formatDiff(before.value, after.value, diff, Boolean(options.showValues));
        process.stdout.write(lines.length > 0 ? `${lines.join("\n")}\n` : "(no differences)\n");
        return diff.same ? 0 : 1;
      }),
    );
}

function sideLabel(ref: SecretRef, value: SecretValue): string {
  const what = isCurrent(ref.selector) ? "AWSCURRENT" : describeSelector(ref.selector);
  return `${value.name} (${value.store} ${what}, version ${value.versionId})`;
}

/** A name with no selector; `versions` works on the whole secret. */
function plainName(text: string): string {
  const ref = parseSecretRef(text);
  if (Object.keys(ref.selector).length > 0) throw inputError(`"${text}": give the secret name without a version`);
  return ref.name;
}

async function readValue(options: { file?: string; valueStdin?: boolean }): Promise<string> {
  if (Boolean(options.file) === Boolean(options.valueStdin)) throw inputError("give the value with exactly one of --file FILE or --value-stdin");
  if (options.file) {
    let bytes: Buffer;
    try {
      bytes = await readFile(options.file);
    } catch (error) {
      throw inputError(`${options.file}: cannot read: ${(error as Error).message}`, { cause: error });
    }
    return utf8Text(bytes, options.file);
  }
  if (process.stdin.isTTY) throw inputError("--value-stdin reads standard input: pipe the value in");
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return utf8Text(Buffer.concat(chunks), "standard input");
}

/** Values are stored as text: bytes that are not UTF-8 (a binary file) are refused, never stored with replacement characters. */
function utf8Text(bytes: Buffer, source: string): string {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw inputError(`${source}: not UTF-8 text (a binary file?): secrets are stored as text; base64-encode binary data first`);
  }
}

/** The team, env and app tags of the name (what the access policies require on creation), then the --tag ones. */
function createTags(template: Template | undefined, name: string, given: Record<string, string>): Record<string, string> | undefined {
  const tags = { ...(template ? conventionTags(template, name) : {}), ...given };
  return Object.keys(tags).length > 0 ? tags : undefined;
}

function collectTags(text: string, tags: Record<string, string>): Record<string, string> {
  const at = text.indexOf("=");
  if (at <= 0) throw inputError(`--tag takes KEY=VALUE (got "${text}")`);
  return { ...tags, [text.slice(0, at)]: text.slice(at + 1) };
}





function summaryJson(s: SecretSummary) {
  return {
    name: s.name,
    store: s.store,
    arn: s.arn,
    description: s.description,
    lastChanged: s.lastChanged?.toISOString(),
    tags: s.tags,
    deletionDate: s.deletionDate?.toISOString(),
    type: s.type,
    tier: s.tier,
  };
}

function versionJson(v: SecretVersion) {
  return { id: v.id, stages: v.stages, created: v.created?.toISOString() };
}

function valueJson(v: SecretValue) {
  return { name: v.name, store: v.store, versionId: v.versionId, value: v.value, ...(v.binary ? { encoding: "base64" } : {}) };
}
