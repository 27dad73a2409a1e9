/**
 * The environment `vaultlift exec` gives a command: `.env` files whose values may be
 * references (see reference.ts), and every secret under a prefix as an upper-case variable.
 * References are read with one batched call per 20 (Secrets Manager) or 10 (SSM) names;
 * a missing secret or a loader variable from a secret is an error before anything runs.
 */
import { readFileSync } from "node:fs";
import { parseDotenv } from "../../core/dotenv.ts";
import { inputError } from "../../core/errors.ts";
import { readValues } from "../store/dump.ts";
import { jsonField } from "../store/field.ts";
import { listAll, type Stores } from "../store/index.ts";
import type { SecretValue } from "../store/types.ts";
import { parseReference, variableFor, type SecretReference } from "./reference.ts";

export interface EnvEntry {
  key: string;
  /** A literal value, or a reference to resolve. */
  value: string;
  reference?: SecretReference;
  file: string;
  line: number;
}

const VARIABLE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Parses a `.env` file (core/dotenv.ts); a line it cannot read, or a key that is no variable name, is an error naming the line. */
export function parseEnvFile(text: string, file: string): EnvEntry[] {
  const { entries, problems } = parseDotenv(text);
  const problem = problems[0];
  if (problem) throw inputError(`${file}:${problem.line}: ${problem.message}`);
  return entries.map(({ key, value, line }) => {
    if (!VARIABLE.test(key)) throw inputError(`${file}:${line}: ${key} is not an environment variable name (letters, digits and "_")`);
    const reference = parseReference(value);
    return { key, value, ...(reference ? { reference } : {}), file, line };
  });
}

/**
 * Variables that make a program load code: a secret must never set them, or whoever can
 * write that secret runs code in every process started with it.
 */
const LOADER_VARIABLES = new Set([
  "LD_PRELOAD",
  "LD_LIBRARY_PATH",
  "LD_AUDIT",
  "NODE_OPTIONS",
  "NODE_PATH",
  "PYTHONPATH",
  "PYTHONSTARTUP",
  "PYTHONHOME",
  "PYTHONINSPECT",
  "PERL5OPT",
  "PERL5LIB",
  "PERLLIB",
  "RUBYOPT",
  "RUBYLIB",
  "BASH_ENV",
  "ENV",
  "SHELLOPTS",
  "BASHOPTS",
  "PROMPT_COMMAND",
  "PS4",
  "IFS",
  "PATH",
  "JAVA_TOOL_OPTIONS",
  "_JAVA_OPTIONS",
  "JDK_JAVA_OPTIONS",
  "GCONV_PATH",
  "GIT_SSH_COMMAND",
  "GIT_EXEC_PATH",
]);

export function isLoaderVariable(key: string): boolean {
  return LOADER_VARIABLES.has(key) || key.startsWith("LD_") || key.startsWith("DYLD_") || key.startsWith("BASH_FUNC_");
}

export interface EnvironmentRequest {
  envFiles: readonly string[];
  prefixes: readonly string[];
}

export interface ResolvedEnvironment {
  /** Variables to add to the command's environment. */
  variables: Map<string, string>;
}

/**
 * Reads the env files and prefixes and resolves every reference. Later sources win:
 * prefixes in order, then env files in order (a line in a file is the most explicit).
 */
export async function resolveEnvironment(stores: Stores, request: EnvironmentRequest): Promise<ResolvedEnvironment> {
  const entries = request.envFiles.flatMap((file) => parseEnvFile(readEnvFile(file), file));
  const variables = new Map<string, string>();

  for (const prefix of request.prefixes) {
    if (prefix.replace(/\/+/g, "") === "") throw inputError(`--prefix "${prefix}" would match every secret: name a narrower prefix`);
    const summaries = await listAll([stores.secretsmanager, stores.ssm], { prefix });
    if (summaries.length === 0) throw inputError(`--prefix ${prefix}: no secrets or parameters under it`);
    const { values, missing } = await readValues([stores.secretsmanager, stores.ssm], summaries);
    if (missing.length > 0) throw inputError(`--prefix ${prefix}: ${missing[0]?.name} has no value yet`);
    const seen = new Map<string, string>();
    for (const value of values) {
      const key = variableFor(value.name);
      const clash = seen.get(key);
      if (clash) throw inputError(`--prefix ${prefix}: "${clash}" and "${value.name}" both map to ${key}`);
      seen.set(key, value.name);
      if (isLoaderVariable(key)) throw inputError(`--prefix ${prefix}: "${value.name}" would set ${key}, which makes programs load code: refused`);
      variables.set(key, value.value);
    }
  }

  const resolved = await readReferences(stores, entries.flatMap((entry) => (entry.reference ? [entry] : [])));
  for (const entry of entries) {
    if (entry.reference) {
      if (isLoaderVariable(entry.key)) throw inputError(`${entry.file}:${entry.line}: ${entry.key} would be set from a secret, and it makes programs load code: refused`);
      const secret = resolved.get(entry) as SecretValue;
      variables.set(entry.key, entry.reference.field !== undefined ? jsonField(secret, entry.reference.field) : secret.value);
    } else {
      variables.set(entry.key, entry.value);
    }
  }
  return { variables };
}

function readEnvFile(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    throw inputError(`${file}: cannot read: ${(error as Error).message}`, { cause: error });
  }
}

/** One batched read per store; a name without a store is looked up in Secrets Manager, then SSM. */
async function readReferences(stores: Stores, entries: readonly EnvEntry[]): Promise<Map<EnvEntry, SecretValue>> {
  const found = new Map<EnvEntry, SecretValue>();
  const pending = [...entries];
  for (const store of [stores.secretsmanager, stores.ssm]) {
    const mine = pending.filter((entry) => (entry.reference?.store ?? store.kind) === store.kind && !found.has(entry));
    if (mine.length === 0) continue;
    const values = await store.readMany(mine.map((entry) => entry.reference?.name as string));
    for (const entry of mine) {
      const value = values.get(entry.reference?.name as string);
      if (value) found.set(entry, value);
    }
  }
  const missing = entries.find((entry) => !found.has(entry));
  if (missing) {
    const where = missing.reference?.store ? ` in ${missing.reference.store}` : "";
    throw inputError(`${missing.file}:${missing.line}: ${missing.key} refers to "${missing.reference?.name}", which has no value${where} (not found, or scheduled for deletion)`);
  }
  return found;
}
