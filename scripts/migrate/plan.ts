/**
 * The migration plan: which candidate becomes which secret, in which store, with which
 * tier, KMS key and tags. `planMigration` is pure: candidates and decisions in, a plan
 * out. A plan holds values only as non-enumerable properties, so printing or saving it
 * shows names, sizes, redacted forms and HMAC value hashes, never a value.
 */
import type { Config, ResolvedSecret } from "../../core/config.ts";
import { inputError } from "../../core/errors.ts";
import { sizeBucket } from "../../core/redact.ts";
import { conventionTags, isValidSegment, normaliseLeaf, normaliseSegment, parseName, renderName, validateName, type NameParts, type Store } from "../../core/naming.ts";
import { describeLocation, suggestedLeaf, type Candidate, type ParameterType } from "./candidate.ts";
import { databaseSecret } from "./connection.ts";
import type { ValueHasher } from "./hash.ts";

export const PLAN_VERSION = 1;

/** Byte limits: Secrets Manager 64 KB; SSM 4 KB Standard, 8 KB Advanced. */
export const VALUE_LIMITS = { secretsmanager: 65_536, ssmStandard: 4_096, ssmAdvanced: 8_192 } as const;

/** What to do with one candidate, from the user (interactive) or a mapping file (batch). */
export type Decision =
  | {
      action: "import";
      /** A full name, or a leaf rendered under the template. */
      name?: string;
      store?: Store;
      /** SSM only: the parameter type; default: the legacy type, else SecureString. */
      type?: ParameterType;
      /** `database-json`: the `{"engine","host","port","username","password","dbname"}` form rotation functions read, from a connection URI. */
      format?: ValueFormat;
      /** One value found in several apps: this source gets a secret of its own instead of the shared one. */
      separate?: boolean;
      /** From a reviewed plan: the value hash that was reviewed; a different value is refused. */
      reviewedHash?: string;
    }
  | { action: "skip"; reason?: string }
  | { action: "allowlist" };

export type ValueFormat = "whole" | "database-json";

export interface NameDefaults {
  team?: string;
  env?: string;
  app?: string;
}

export interface PlanOptions {
  config: Config;
  /** `--team/--env/--app`. */
  parts: NameDefaults;
  /** `--store`; else the config's `migrate.store`. */
  store?: Store;
  /** By fingerprint; candidates without one are imported under their suggested name. */
  decisions?: ReadonlyMap<string, Decision>;
  /** Candidates in test fixtures, examples and docs (config `migrate.skipPaths`): listed as skipped. */
  samples?: readonly Candidate[];
  /** The hash key id of the reviewed plan given with `--mapping`, to check its value hashes against. */
  reviewedKeyId?: string;
  hasher: ValueHasher;
  now: Date;
}

export type PlanSource = Pick<Candidate, "fingerprint" | "file" | "line" | "ruleId" | "key" | "originalName" | "commit" | "versionId">;

export interface PlanTarget {
  name: string;
  store: Store;
  /** SSM only. */
  tier?: "Standard" | "Advanced";
  /** SSM only: `String`/`StringList` for configuration kept as it was, `SecureString` for secrets. */
  type?: ParameterType;
  /** Present when the stored value is not the literal as found (`database-json`). */
  format?: ValueFormat;
  kmsKeyId: string;
  tags: Record<string, string>;
  valueHash: string;
  /** The value's size as a bucket (`8-16`): an exact length would narrow a short password down. */
  size: string;
  redacted: string;
  /** Every place the value was found; the first one names the `vaultlift:source` tag. */
  sources: PlanSource[];
  readonly value: string;
}

export interface PlanSkip {
  fingerprint: string;
  file: string;
  line: number;
  versionId?: string;
  commit?: string;
  reason: string;
  /** Left out because it is exposed (only in history, or an older value): the name it would have had, for remediate to find, rotate and purge it. */
  exposed?: ExposedValue;
}

export interface ExposedValue {
  name: string;
  store: Store;
  valueHash: string;
  why: "history" | "version";
}

export interface PlanProblem {
  /** One line: where, what, which rule. */
  message: string;
  fingerprint?: string;
  name?: string;
}

export interface MigrationPlan {
  version: typeof PLAN_VERSION;
  createdAt: string;
  /** Identifies the HMAC key of the value hashes (see hash.ts). */
  hashKeyId: string;
  template: string;
  targets: PlanTarget[];
  skipped: PlanSkip[];
  /** Collisions, invalid names, oversized values: a plan with problems is never applied. */
  problems: PlanProblem[];
  /** One value found in several apps or repositories, and the secret they now share. */
  reuse: PlanReuse[];
}

export interface PlanReuse {
  name: string;
  store: Store;
  /** Apps (or repositories and buckets) that hold the same value. */
  apps: string[];
}

interface Resolved {
  name: string;
  store: Store;
  type?: ParameterType;
}

/** Fills `--team/--env/--app` from the config where it has exactly one choice, and checks them. */
export function resolveNameDefaults(config: Config, given: NameDefaults): NameDefaults {
  const teams = config.teams.map((team) => team.name);
  const parts: NameDefaults = {
    team: given.team ?? (teams.length === 1 ? teams[0] : undefined),
    env: given.env ?? (config.environments?.length === 1 ? config.environments[0] : undefined),
    app: given.app,
  };
  for (const [key, value] of Object.entries(parts)) {
    if (value !== undefined && !isValidSegment(value)) throw inputError(`--${key} "${value}" may only hold letters, digits, "_", "." and "-"`);
  }
  if (parts.team !== undefined && !teams.includes(parts.team)) throw inputError(`--team "${parts.team}" is not a team in ${config.file} (declared: ${teams.join(", ")})`);
  if (parts.env !== undefined && config.environments && !config.environments.includes(parts.env)) {
    throw inputError(`--env "${parts.env}" is not an environment in ${config.file} (declared: ${config.environments.join(", ")})`);
  }
  return parts;
}

/** Environment names recognised in legacy names and file names when the config declares none. */
const KNOWN_ENVIRONMENTS = ["dev", "development", "test", "qa", "uat", "stage", "staging", "preprod", "prod", "production", "sandbox"];

/**
 * The name parts of one candidate: what its source states (`SsmParameterUpdater('myapp-dev')`,
 * `ssm-dev.py`, `/prod/...`) wins over the `--env/--app` defaults, so dev and prod scripts
 * in one bucket land in their own environments; without `--app`, a repository's directory names the app.
 */
export function partsFor(candidate: Candidate, config: Config, parts: NameDefaults): NameDefaults {
  const environments = config.environments ?? KNOWN_ENVIRONMENTS;
  const isEnv = (word: string | undefined): word is string => word !== undefined && environments.includes(word);
  const words = [candidate.scope?.env, ...(candidate.scope?.words ?? []), ...(candidate.originalName ?? "").toLowerCase().split(/[/.]/)];
  const stated = candidate.scope?.app !== undefined ? normaliseSegment(candidate.scope.app) : "";
  const app = stated !== "" ? stated : (parts.app ?? guessedApp(candidate));
  return { ...parts, env: words.find(isEnv) ?? parts.env, ...(app !== undefined ? { app } : {}) };
}

/** Without `--app`, a repository's directory name is its app; a vault object has no such default. */
function guessedApp(candidate: Candidate): string | undefined {
  const app = candidate.origin !== undefined && !candidate.file.startsWith("s3://") ? normaliseSegment(candidate.origin) : "";
  return app !== "" ? app : undefined;
}

/** What the template already holds, so a leaf does not repeat it. */
function knownParts(config: Config, parts: NameDefaults): string[] {
  return [config.org, ...config.teams.map((team) => team.name), ...(config.environments ?? KNOWN_ENVIRONMENTS), parts.team, parts.env, parts.app].filter((part): part is string => Boolean(part));
}

/** The name a candidate gets when nobody chose one: its original name when it already follows the template, else a leaf from its whole legacy name. */
export function suggestName(candidate: Candidate, config: Config, parts: NameDefaults, store: Store): string {
  if (candidate.originalName) {
    const parsed = parseName(config.template, candidate.originalName);
    if (parsed && (parsed.org === undefined || parsed.org === config.org) && validateName(config.template, candidate.originalName, store).length === 0) {
      return candidate.originalName;
    }
  }
  const own = partsFor(candidate, config, parts);
  const leaf = suggestedLeaf(candidate, knownParts(config, own));
  // Only Secrets Manager has the `-XXXXXX` suffix pitfall: an SSM name keeps its leaf as is.
  return renderLeaf((store === "ssm" ? normaliseSegment(leaf) : normaliseLeaf(leaf)) || "secret", candidate, config, own, store);
}

function renderLeaf(leaf: string, candidate: Candidate, config: Config, parts: NameDefaults, store: Store): string {
  const all: Partial<NameParts> = { org: config.org, ...parts, name: leaf };
  for (const segment of config.template.segments) {
    if ("placeholder" in segment && all[segment.placeholder] === undefined) {
      const flag = segment.placeholder;
      const declared = flag === "team" ? ` (declared teams: ${config.teams.map((team) => team.name).join(", ")})` : flag === "env" && config.environments ? ` (declared: ${config.environments.join(", ")})` : "";
      throw inputError(`the naming template ${config.template.source} needs {${flag}} for ${describeLocation(candidate)}: pass --${flag}${declared}`);
    }
  }
  return renderName(config.template, all, store);
}

/** Words that mark a key as holding a secret rather than a setting. */
const SECRET_KEY = /pass|pwd|secret|token|credential|private|api[_.-]?key|access[_.-]?key|auth|salt|signing|cert|dsn|webhook|(?:^|[_.-])key$|[a-z]Key$/i;
const URI_CREDENTIALS = /^[a-z][a-z0-9+.-]*:\/\/[^/?#@\s]*:[^@/?#\s]+@/i;

/**
 * Configuration, not a secret: a legacy `String`/`StringList` parameter, or a plain setting
 * in a key/value file (`WORKER_CONCURRENCY=8`, `database.host`). Scanner findings,
 * SecureStrings and Kubernetes Secrets are secrets.
 */
export function isConfiguration(candidate: Candidate): boolean {
  if (candidate.legacyType !== undefined) return candidate.legacyType !== "SecureString";
  if (!["legacy-env", "legacy-json", "legacy-yaml"].includes(candidate.ruleId)) return false;
  return !SECRET_KEY.test(candidate.originalName ?? candidate.key ?? "") && !URI_CREDENTIALS.test(candidate.value) && !looksGenerated(candidate.value);
}

/** Long, mixed letters and digits, no spaces: a generated credential whatever its key says. */
function looksGenerated(value: string): boolean {
  return value.length >= 16 && !/\s/.test(value) && /[0-9]/.test(value) && /[A-Za-z]/.test(value) && !/^https?:\/\//.test(value);
}

/** Resolves an explicit name (full, or a leaf) or the suggestion; a string is a problem. */
function resolveTarget(candidate: Candidate, decision: Decision | undefined, options: PlanOptions, parts: NameDefaults): Resolved | string {
  const explicit = decision?.action === "import" ? decision : undefined;
  const configuration = isConfiguration(candidate);
  let store: Store = explicit?.store ?? (configuration ? "ssm" : (options.store ?? options.config.migrate.store));
  const where = `${describeLocation(candidate)}${candidate.key ? ` key ${candidate.key}` : ""}`;
  // A source kept `separate` from others with the same value gets its own app: its repository or bucket.
  const separateApp = explicit?.separate && !candidate.scope?.app && candidate.origin ? normaliseSegment(candidate.origin) : "";
  const ownParts = partsFor(candidate, options.config, separateApp ? { ...parts, app: separateApp } : parts);
  const nameFor = (chosen: Store): string | { problem: string } => {
    const name = explicit?.name;
    if (name === undefined) return suggestName(candidate, options.config, explicit?.separate ? ownParts : parts, chosen);
    if (!name.includes("/")) {
      if (!isValidSegment(name)) return { problem: `${where}: name "${name}" may only hold letters, digits, "_", "." and "-"` };
      try {
        return renderLeaf(name, candidate, options.config, ownParts, chosen);
      } catch (error) {
        if (error instanceof Error && error.name === "VaultliftError") throw error;
        return { problem: `${where}: ${(error as Error).message}` };
      }
    }
    const problems = validateName(options.config.template, name, chosen);
    return problems.length > 0 ? { problem: `${where}: name "${name}" is not valid in ${chosen}: ${problems[0]}` } : name;
  };
  let name: string | { problem: string };
  try {
    name = nameFor(store);
  } catch (error) {
    if (error instanceof Error && error.name === "VaultliftError") throw error;
    return `${where}: ${(error as Error).message}`;
  }
  if (typeof name !== "string") return name.problem;
  const declared = declaredSecret(options.config, name);
  if (declared && !explicit?.store && declared.store !== store) {
    store = declared.store;
    const problems = validateName(options.config.template, name, store);
    if (problems.length > 0) return `${where}: name "${name}" is not valid in ${store}: ${problems[0]}`;
  }
  const type: ParameterType | undefined = store === "ssm" ? (explicit?.type ?? (configuration ? (candidate.legacyType ?? "String") : "SecureString")) : undefined;
  if (type !== undefined && type !== "SecureString" && !configuration && !explicit?.type) return `${where}: a secret cannot be a plain ${type} parameter`;
  return { name, store, ...(type ? { type } : {}) };
}

function declaredSecret(config: Config, name: string): ResolvedSecret | undefined {
  return config.secrets.find((secret) => secret.fullName === name);
}

/** Tag values allow letters, digits, spaces and `_.:/=+-@`, up to 256 characters. */
export function tagValue(text: string): string {
  return text.replace(/[^\p{L}\p{Z}\p{N}_.:/=+\-@]/gu, "_").slice(0, 256);
}

/** `vaultlift:source`: the repository or bucket, the path, and the commit or object version. */
export function sourceTag(candidate: Pick<Candidate, "file" | "origin" | "commit" | "versionId" | "revision">): string {
  const where = candidate.file.startsWith("s3://") || candidate.origin === undefined ? candidate.file : `${candidate.origin}:${candidate.file}`;
  const version = candidate.commit ?? candidate.versionId ?? candidate.revision;
  return tagValue(version ? `${where}@${version}` : where);
}

function sourceOf(candidate: Candidate): PlanSource {
  const { fingerprint, file, line, ruleId, key, originalName, commit, versionId } = candidate;
  return {
    fingerprint,
    file,
    line,
    ruleId,
    ...(key !== undefined ? { key } : {}),
    ...(originalName !== undefined ? { originalName } : {}),
    ...(commit !== undefined ? { commit } : {}),
    ...(versionId !== undefined ? { versionId } : {}),
  };
}

/** The app a candidate belongs to, for reuse reports: what its source states, else its repository or bucket. */
function appOf(candidate: Candidate, parts: NameDefaults): string {
  return candidate.scope?.app ?? candidate.origin ?? parts.app ?? candidate.file;
}

/** The value to store: the literal as found, or its structured form when asked. */
function storedValue(candidate: Candidate, decision: Decision | undefined): { value: string; format?: ValueFormat } | { problem: string } {
  if (decision?.action !== "import" || decision.format !== "database-json") return { value: candidate.value };
  const structured = databaseSecret(candidate.value);
  return "json" in structured ? { value: structured.json, format: "database-json" } : { problem: `${describeLocation(candidate)}: format database-json: the value ${structured.problem}` };
}

/**
 * Builds the plan. Candidates with the same value become one secret with several
 * sources (unless given different names, or marked `separate`); two different values
 * for one name are a problem, never an overwrite; values over the store's limit are problems.
 */
export function planMigration(candidates: readonly Candidate[], options: PlanOptions): MigrationPlan {
  const { config, hasher } = options;
  const parts = resolveNameDefaults(config, options.parts);
  const decisions = options.decisions ?? new Map<string, Decision>();
  const skipped: PlanSkip[] = [];
  const problems: PlanProblem[] = [];
  const imports: Candidate[] = [];
  const at = (candidate: Candidate) => ({
    fingerprint: candidate.fingerprint,
    file: candidate.file,
    line: candidate.line,
    ...(candidate.versionId !== undefined ? { versionId: candidate.versionId } : {}),
    ...(candidate.commit !== undefined ? { commit: candidate.commit } : {}),
  });
  for (const sample of options.samples ?? []) skipped.push({ ...at(sample), reason: "test fixture, example or documentation sample (migrate.skipPaths)" });
  // What remediate needs to find, rotate and purge a value migrate deliberately left out.
  const exposed = (candidate: Candidate): { exposed?: ExposedValue } => {
    if (!candidate.historyOnly && !candidate.superseded) return {};
    let target: Resolved | string;
    try {
      target = resolveTarget(candidate, undefined, options, parts);
    } catch {
      // A value that is not imported never stops the plan, even when it cannot be named.
      return {};
    }
    if (typeof target === "string") return {};
    const why = candidate.commit !== undefined ? "history" : "version";
    return { exposed: { name: target.name, store: target.store, valueHash: hasher.hash(candidate.value), why } };
  };
  for (const candidate of candidates) {
    const decision = decisions.get(candidate.fingerprint);
    const named = decision?.action === "import" && decision.name !== undefined;
    if (decision?.action === "skip") skipped.push({ ...at(candidate), reason: decision.reason ?? "skipped", ...exposed(candidate) });
    else if (decision?.action === "allowlist") skipped.push({ ...at(candidate), reason: "allowlisted" });
    else if (candidate.superseded && !named) {
      // An older value of a key is never imported over the newer one; only under a name of its own.
      skipped.push({ ...at(candidate), reason: candidate.commit ? "superseded by a newer value of the same key" : "superseded by the current object version", ...exposed(candidate) });
    } else if (candidate.historyOnly && !decision) skipped.push({ ...at(candidate), reason: "found only in history: exposed, rotate it rather than import it", ...exposed(candidate) });
    else if (!decision && config.migrate.configValues === "skip" && isConfiguration(candidate)) {
      skipped.push({ ...at(candidate), reason: "configuration, not a secret (migrate.configValues: skip)" });
    } else imports.push(candidate);
  }

  const values = new Map<Candidate, { value: string; format?: ValueFormat }>();
  for (const candidate of imports) {
    const stored = storedValue(candidate, decisions.get(candidate.fingerprint));
    if ("problem" in stored) problems.push({ message: stored.problem, fingerprint: candidate.fingerprint });
    else values.set(candidate, stored);
  }

  // Same value, no explicit name: follow the first explicitly named, else the first with an original name.
  const byValue = new Map<string, Candidate[]>();
  for (const [candidate, stored] of values) {
    const group = byValue.get(stored.value);
    if (group) group.push(candidate);
    else byValue.set(stored.value, [candidate]);
  }
  const resolved = new Map<Candidate, Resolved>();
  for (const group of byValue.values()) {
    const explicit = (candidate: Candidate) => {
      const decision = decisions.get(candidate.fingerprint);
      return decision?.action === "import" && (decision.name !== undefined || decision.store !== undefined || decision.separate === true);
    };
    const ordered = [...group.filter(explicit), ...group.filter((c) => !explicit(c) && c.originalName), ...group.filter((c) => !explicit(c) && !c.originalName)];
    let shared: Resolved | undefined;
    for (const candidate of ordered) {
      if (shared && !explicit(candidate)) {
        resolved.set(candidate, shared);
        continue;
      }
      const target = resolveTarget(candidate, decisions.get(candidate.fingerprint), options, parts);
      if (typeof target === "string") {
        problems.push({ message: target, fingerprint: candidate.fingerprint });
        continue;
      }
      resolved.set(candidate, target);
      const decision = decisions.get(candidate.fingerprint);
      if (!(decision?.action === "import" && decision.separate)) shared ??= target;
    }
  }

  const targets = new Map<string, PlanTarget>();
  const apps = new Map<string, Set<string>>();
  for (const candidate of imports) {
    const target = resolved.get(candidate);
    const stored = values.get(candidate);
    if (!target || !stored) continue;
    const id = `${target.store}\0${target.name}`;
    const existing = targets.get(id);
    if (existing) {
      if (existing.value === stored.value) {
        existing.sources.push(sourceOf(candidate));
        apps.get(id)?.add(appOf(candidate, parts));
      } else {
        const first = existing.sources[0] as PlanSource;
        problems.push({
          name: target.name,
          fingerprint: candidate.fingerprint,
          message: `${describeLocation(candidate)}: name "${target.name}" (${target.store}) is already the target of a different value from ${describeLocation(first)}; choose another name or skip one`,
        });
      }
      continue;
    }
    const bytes = Buffer.byteLength(stored.value, "utf8");
    const declared = declaredSecret(config, target.name);
    if (declared?.kind === "random") {
      problems.push({
        name: target.name,
        fingerprint: candidate.fingerprint,
        message: `${describeLocation(candidate)}: "${target.name}" is a random secret generated by the bootstrap stack (${config.file}); choose another name or skip it`,
      });
      continue;
    }
    const limit = target.store === "secretsmanager" ? VALUE_LIMITS.secretsmanager : VALUE_LIMITS.ssmAdvanced;
    if (bytes > limit) {
      problems.push({
        name: target.name,
        fingerprint: candidate.fingerprint,
        message: `${describeLocation(candidate)}: value of ${bytes} bytes is over the ${target.store === "ssm" ? "SSM (Advanced tier)" : "Secrets Manager"} limit of ${limit} bytes for "${target.name}"`,
      });
      continue;
    }
    const tier = target.store === "ssm" ? (bytes > VALUE_LIMITS.ssmStandard || (declared?.maxBytes ?? 0) > VALUE_LIMITS.ssmStandard ? "Advanced" : "Standard") : undefined;
    const plan: Omit<PlanTarget, "value"> = {
      name: target.name,
      store: target.store,
      ...(tier ? { tier } : {}),
      ...(target.type ? { type: target.type } : {}),
      ...(stored.format ? { format: stored.format } : {}),
      kmsKeyId: config.kms.alias,
      tags: {
        ...(declared?.tags ?? {}),
        // The access policies let a team's writers create only what is tagged with their team.
        ...conventionTags(config.template, target.name),
        "vaultlift:legacy-name": tagValue(candidate.originalName ?? candidate.key ?? candidate.file),
        "vaultlift:source": sourceTag(candidate),
        "vaultlift:migrated-at": options.now.toISOString(),
      },
      valueHash: hasher.hash(stored.value),
      size: sizeBucket(bytes),
      redacted: candidate.redacted,
      sources: [sourceOf(candidate)],
    };
    targets.set(id, Object.defineProperty(plan, "value", { value: stored.value, enumerable: false }) as PlanTarget);
    apps.set(id, new Set([appOf(candidate, parts)]));
  }

  for (const target of targets.values()) {
    for (const source of target.sources) {
      const decision = decisions.get(source.fingerprint);
      if (decision?.action !== "import" || decision.reviewedHash === undefined) continue;
      if (options.reviewedKeyId !== undefined && options.reviewedKeyId !== hasher.keyId) {
        problems.push({ name: target.name, fingerprint: source.fingerprint, message: `the reviewed plan was hashed with key ${options.reviewedKeyId}, this machine's key is ${hasher.keyId}: its values cannot be checked here` });
      } else if (decision.reviewedHash !== target.valueHash) {
        problems.push({ name: target.name, fingerprint: source.fingerprint, message: `${describeLocation(source)}: the value for "${target.name}" differs from the one in the reviewed plan; review the source and save the plan again` });
      }
    }
  }

  const reuse: PlanReuse[] = [...targets.entries()]
    .filter(([id]) => (apps.get(id)?.size ?? 0) > 1)
    .map(([id, target]) => ({ name: target.name, store: target.store, apps: [...(apps.get(id) ?? [])].sort() }));

  return {
    version: PLAN_VERSION,
    createdAt: options.now.toISOString(),
    hashKeyId: hasher.keyId,
    template: config.template.source,
    targets: [...targets.values()].sort((a, b) => a.name.localeCompare(b.name) || a.store.localeCompare(b.store)),
    skipped,
    problems,
    reuse,
  };
}

/** The plan as JSON for `--plan-out`: no values (they are non-enumerable), loadable as a mapping file. */
export function planToJson(plan: MigrationPlan): string {
  return `${JSON.stringify(plan, null, 2)}\n`;
}

/** A plain table: one row per target (redacted values), then the skipped candidates and reuse. Problems are reported as the error. */
export function formatPlanTable(plan: MigrationPlan): string {
  const rows = plan.targets.map((target) => [
    target.name,
    target.store === "ssm" ? `ssm/${target.type ?? "SecureString"}/${target.tier ?? "Standard"}` : "secretsmanager",
    target.redacted,
    target.sources.map((source) => describeLocation(source)).join(", "),
  ]);
  const header = ["NAME", "STORE", "VALUE", "FOUND IN"];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] as string).length)));
  const line = (cells: string[]) => cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] as number))).join("  ");
  const out = rows.length > 0 ? [line(header), ...rows.map(line)] : [];
  for (const skip of plan.skipped) out.push(`[skip] ${describeLocation(skip)} ${skip.fingerprint}: ${skip.reason}`);
  for (const reuse of plan.reuse) {
    out.push(`[reuse] ${reuse.name}: one value in ${reuse.apps.join(", ")}; shared as one secret (mark a source \`separate: true\` in the mapping for one per app)`);
  }
  return out.length > 0 ? `${out.join("\n")}\n` : "";
}
