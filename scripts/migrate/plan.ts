/**
 * The migration plan: which candidate becomes which secret, in which store, with which
 * tier, KMS key and tags. `planMigration` is pure: candidates and decisions in, a plan
 * out. A plan holds values only as non-enumerable properties, so printing or saving it
 * shows names, sizes, redacted forms and HMAC value hashes, never a value.
 */
import type { Config, ResolvedSecret } from "../../core/config.ts";
import { inputError } from "../../core/errors.ts";
import { isValidSegment, normaliseLeaf, parseName, renderName, validateName, type NameParts, type Store } from "../../core/naming.ts";
import { describeLocation, suggestedLeaf, type Candidate } from "./candidate.ts";
import type { ValueHasher } from "./hash.ts";

export const PLAN_VERSION = 1;

/** Byte limits: Secrets Manager 64 KB; SSM 4 KB Standard, 8 KB Advanced. */
export const VALUE_LIMITS = { secretsmanager: 65_536, ssmStandard: 4_096, ssmAdvanced: 8_192 } as const;

/** What to do with one candidate, from the user (interactive) or a mapping file (batch). */
export type Decision =
  | { action: "import"; /** A full name, or a leaf rendered under the template. */ name?: string; store?: Store }
  | { action: "skip"; reason?: string }
  | { action: "allowlist" };

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
  hasher: ValueHasher;
  now: Date;
}

export type PlanSource = Pick<Candidate, "fingerprint" | "file" | "line" | "ruleId" | "key" | "originalName" | "commit" | "versionId">;

export interface PlanTarget {
  name: string;
  store: Store;
  /** SSM only. */
  tier?: "Standard" | "Advanced";
  kmsKeyId: string;
  tags: Record<string, string>;
  valueHash: string;
  bytes: number;
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
}

interface Resolved {
  name: string;
  store: Store;
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

/** The name a candidate gets when nobody chose one: its original name when it already follows the template, else a normalised leaf. */
export function suggestName(candidate: Candidate, config: Config, parts: NameDefaults, store: Store): string {
  if (candidate.originalName) {
    const parsed = parseName(config.template, candidate.originalName);
    if (parsed && (parsed.org === undefined || parsed.org === config.org) && validateName(config.template, candidate.originalName, store).length === 0) {
      return candidate.originalName;
    }
  }
  return renderLeaf(normaliseLeaf(suggestedLeaf(candidate)) || "secret", candidate, config, parts, store);
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

/** Resolves an explicit name (full, or a leaf) or the suggestion; a string is a problem. */
function resolveTarget(candidate: Candidate, decision: Decision | undefined, options: PlanOptions, parts: NameDefaults): Resolved | string {
  const explicit = decision?.action === "import" ? decision : undefined;
  let store: Store = explicit?.store ?? options.store ?? options.config.migrate.store;
  const where = `${describeLocation(candidate)}${candidate.key ? ` key ${candidate.key}` : ""}`;
  const nameFor = (chosen: Store): string | { problem: string } => {
    const name = explicit?.name;
    if (name === undefined) return suggestName(candidate, options.config, parts, chosen);
    if (!name.includes("/")) {
      if (!isValidSegment(name)) return { problem: `${where}: name "${name}" may only hold letters, digits, "_", "." and "-"` };
      try {
        return renderLeaf(name, candidate, options.config, parts, chosen);
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
  return { name, store };
}

function declaredSecret(config: Config, name: string): ResolvedSecret | undefined {
  return config.secrets.find((secret) => secret.fullName === name);
}

/** Tag values allow letters, digits, spaces and `_.:/=+-@`, up to 256 characters. */
export function tagValue(text: string): string {
  return text.replace(/[^\p{L}\p{Z}\p{N}_.:/=+\-@]/gu, "_").slice(0, 256);
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

/**
 * Builds the plan. Candidates with the same value become one secret with several
 * sources (unless given different names); two different values for one name are a
 * problem, never an overwrite; values over the store's limit are problems.
 */
export function planMigration(candidates: readonly Candidate[], options: PlanOptions): MigrationPlan {
  const { config, hasher } = options;
  const parts = resolveNameDefaults(config, options.parts);
  const decisions = options.decisions ?? new Map<string, Decision>();
  const skipped: PlanSkip[] = [];
  const problems: PlanProblem[] = [];
  const imports: Candidate[] = [];
  for (const candidate of candidates) {
    const decision = decisions.get(candidate.fingerprint);
    const at = {
      fingerprint: candidate.fingerprint,
      file: candidate.file,
      line: candidate.line,
      ...(candidate.versionId !== undefined ? { versionId: candidate.versionId } : {}),
      ...(candidate.commit !== undefined ? { commit: candidate.commit } : {}),
    };
    if (decision?.action === "skip") skipped.push({ ...at, reason: decision.reason ?? "skipped" });
    else if (decision?.action === "allowlist") skipped.push({ ...at, reason: "allowlisted" });
    else if (!decision && candidate.superseded) {
      skipped.push({ ...at, reason: candidate.commit ? "superseded by a newer value of the same key" : "superseded by the current object version" });
    }
    else imports.push(candidate);
  }

  // Same value, no explicit name: follow the first explicitly named, else the first with an original name.
  const byValue = new Map<string, Candidate[]>();
  for (const candidate of imports) byValue.set(candidate.value, [...(byValue.get(candidate.value) ?? []), candidate]);
  const resolved = new Map<Candidate, Resolved>();
  for (const group of byValue.values()) {
    const explicit = (candidate: Candidate) => {
      const decision = decisions.get(candidate.fingerprint);
      return decision?.action === "import" && (decision.name !== undefined || decision.store !== undefined);
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
      shared ??= target;
    }
  }

  const targets = new Map<string, PlanTarget>();
  for (const candidate of imports) {
    const target = resolved.get(candidate);
    if (!target) continue;
    const id = `${target.store}\0${target.name}`;
    const existing = targets.get(id);
    if (existing) {
      if (existing.value === candidate.value) existing.sources.push(sourceOf(candidate));
      else {
        const first = existing.sources[0] as PlanSource;
        problems.push({
          name: target.name,
          fingerprint: candidate.fingerprint,
          message: `${describeLocation(candidate)}: name "${target.name}" (${target.store}) is already the target of a different value from ${describeLocation(first)}; choose another name or skip one`,
        });
      }
      continue;
    }
    const bytes = Buffer.byteLength(candidate.value, "utf8");
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
      kmsKeyId: config.kms.alias,
      tags: { ...(declared?.tags ?? {}), "vaultlift:source": tagValue(candidate.file), "vaultlift:migrated-at": options.now.toISOString() },
      valueHash: hasher.hash(candidate.value),
      bytes,
      redacted: candidate.redacted,
      sources: [sourceOf(candidate)],
    };
    targets.set(id, Object.defineProperty(plan, "value", { value: candidate.value, enumerable: false }) as PlanTarget);
  }

  return {
    version: PLAN_VERSION,
    createdAt: options.now.toISOString(),
    hashKeyId: hasher.keyId,
    template: config.template.source,
    targets: [...targets.values()].sort((a, b) => a.name.localeCompare(b.name) || a.store.localeCompare(b.store)),
    skipped,
    problems,
  };
}

/** The plan as JSON for `--plan-out`: no values (they are non-enumerable), loadable as a mapping file. */
export function planToJson(plan: MigrationPlan): string {
  return `${JSON.stringify(plan, null, 2)}\n`;
}

/** A plain table: one row per target (redacted values), then the skipped candidates. Problems are reported as the error. */
export function formatPlanTable(plan: MigrationPlan): string {
  const rows = plan.targets.map((target) => [
    target.name,
    target.store === "ssm" ? `ssm/${target.tier ?? "Standard"}` : "secretsmanager",
    `${target.bytes} B`,
    target.redacted,
    target.sources.map((source) => describeLocation(source)).join(", "),
  ]);
  const header = ["NAME", "STORE", "SIZE", "VALUE", "FOUND IN"];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] as string).length)));
  const line = (cells: string[]) => cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] as number))).join("  ");
  const out = rows.length > 0 ? [line(header), ...rows.map(line)] : [];
  for (const skip of plan.skipped) out.push(`[skip] ${describeLocation(skip)} ${skip.fingerprint}: ${skip.reason}`);
  return out.length > 0 ? `${out.join("\n")}\n` : "";
}
