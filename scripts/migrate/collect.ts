/**
 * Turns the command's sources into candidates: S3 vault buckets through the S3 source
 * and the legacy parsers, directories through the scanner's findings plus the legacy
 * parsers for Python vault scripts and Terraform files (which know the original names).
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { S3Client } from "@aws-sdk/client-s3";
import { parseDotenv } from "../../core/dotenv.ts";
import { pathGlobMatcher } from "../../core/samples.ts";
import { parseS3Url, S3VaultSource, type S3Fragment } from "../scan/sources/s3.ts";
import { DirectorySource } from "../scan/sources/directory.ts";
import type { Finding, Fragment } from "../scan/types.ts";
import { candidateFromFinding, describeLocation, legacyFingerprint, makeCandidate, type Candidate } from "./candidate.ts";
import { detectFormat, parseLegacy } from "./legacy.ts";

export interface CollectOptions {
  s3: () => Promise<S3Client>;
  /** Every S3 object version. */
  versions?: boolean;
  maxBytes: number;
  /** The scanner over one directory or file (working tree, and history when asked). */
  scan: (source: string) => Promise<readonly Finding[]>;
  /** Fingerprints accepted in the baseline: left out. */
  baseline?: ReadonlySet<string>;
  /** Globs of test fixtures, examples and documentation samples (config `migrate.skipPaths`): reported as skipped. */
  skipPaths?: readonly string[];
}

export interface Collected {
  candidates: Candidate[];
  /** Left out because they sit in a fixture, example or docs path. */
  samples: Candidate[];
  /** Human notes: objects skipped for size, unreadable formats. */
  notes: string[];
}

/** Rules whose match is a part (the password) of a larger literal the application reads whole (the URI, the connection string). */
const PART_RULES = new Set(["uri-password", "connection-string-password"]);
const GIT_TIMEOUT_MS = 30_000;

export async function collectCandidates(sources: readonly string[], options: CollectOptions): Promise<Collected> {
  const candidates: Candidate[] = [];
  const notes: string[] = [];
  for (const source of sources) {
    const location = parseS3Url(source);
    if (location) {
      const s3 = new S3VaultSource(options.s3, location, { versions: options.versions ?? false, maxBytes: options.maxBytes });
      const fragments: S3Fragment[] = [];
      for await (const fragment of s3.objects()) fragments.push(fragment);
      candidates.push(...candidatesFromVault(fragments).map((candidate) => withOrigin(candidate, location.bucket)));
      for (const skipped of s3.skipped) notes.push(`${skipped}: larger than ${options.maxBytes} bytes, not read`);
      continue;
    }
    const origin = path.basename(path.resolve(source));
    const legacy: Candidate[] = [];
    for await (const fragment of new DirectorySource(source, { maxFileBytes: options.maxBytes }).fragments()) {
      const format = detectFormat(fragment.path, fragment.content.subarray(0, 4096).toString("utf8"));
      if (format === "python" || format === "terraform" || format === "kubernetes") legacy.push(...candidatesFromFragment(fragment));
    }
    const texts = fileTexts(source);
    const found = supersedeHistory((await options.scan(source)).map((finding) => candidateFromFinding(finding, wholeLiteral(finding, PART_RULES.has(finding.ruleId) ? texts(finding.file, finding.commit) : undefined))));
    const revision = headCommit(source);
    candidates.push(...markHistoryOnly([...withoutPartsOf(legacy, found), ...legacy]).map((candidate) => withOrigin(candidate, origin, candidate.commit ? undefined : revision)));
  }
  const isSample = samplePathMatcher(options.skipPaths ?? []);
  const samples: Candidate[] = [];
  const seen = new Set<string>();
  const unique = candidates.filter((candidate) => {
    if (!seen.has(candidate.fingerprint) && isSample(candidate.file)) {
      seen.add(candidate.fingerprint);
      samples.push(candidate);
      return false;
    }
    if (seen.has(candidate.fingerprint) || options.baseline?.has(candidate.fingerprint)) return false;
    if (candidate.value.includes("\uFFFD")) {
      // Bytes that are not UTF-8 were decoded with replacement characters: importing them would store a corrupted value.
      notes.push(`${describeLocation(candidate)}: the value is not UTF-8 text, not imported; store it with \`vaultlift secrets create NAME --file FILE\``);
      seen.add(candidate.fingerprint);
      return false;
    }
    seen.add(candidate.fingerprint);
    return true;
  });
  return { candidates: unique, samples, notes };
}

/** Test fixtures, examples and documentation samples hold values nobody runs with: `migrate.skipPaths`, by default core/samples.ts's list, which the scanner marks too. */
export function samplePathMatcher(globs: readonly string[]): (file: string) => boolean {
  return pathGlobMatcher(globs);
}

function withOrigin(candidate: Candidate, origin: string, revision?: string): Candidate {
  return makeCandidate({ ...candidate, origin, ...(revision ? { revision } : {}) }, candidate.value);
}

/** The commit a working tree has checked out; undefined outside git. */
function headCommit(source: string): string | undefined {
  try {
    const root = path.resolve(source);
    const cwd = path.extname(root) && !root.endsWith("/") ? path.dirname(root) : root;
    return execFileSync("git", ["-C", cwd, "rev-parse", "HEAD"], { encoding: "utf8", timeout: GIT_TIMEOUT_MS, stdio: ["ignore", "pipe", "ignore"] }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Reads a file of the scanned tree, or a blob of git history; undefined when it cannot. */
function fileTexts(source: string): (file: string, commit?: string) => string | undefined {
  const root = path.resolve(source);
  const cache = new Map<string, string | undefined>();
  return (file, commit) => {
    const id = `${commit ?? ""}\0${file}`;
    if (cache.has(id)) return cache.get(id);
    let text: string | undefined;
    try {
      text = commit
        ? execFileSync("git", ["-C", root, "show", `${commit}:./${file}`], { encoding: "utf8", timeout: GIT_TIMEOUT_MS, stdio: ["ignore", "pipe", "ignore"], maxBuffer: 64 * 1024 * 1024 })
        : readFileSync(path.basename(root) === file ? root : path.join(root, file), "utf8");
    } catch {
      text = undefined;
    }
    cache.set(id, text);
    return text;
  };
}

/**
 * The value the application reads: for a password found inside a URI or connection
 * string, the whole literal it sits in (the quoted string, or the rest of a `KEY=value`
 * line); for any other finding, the match itself.
 */
export function wholeLiteral(finding: Pick<Finding, "ruleId" | "line" | "column" | "secret" | "file">, text: string | undefined): string {
  if (!PART_RULES.has(finding.ruleId) || text === undefined) return finding.secret;
  // A .env value is what the one dotenv reader makes of it (quotes, escapes, lines), as `vaultlift exec` would set it.
  if (detectFormat(finding.file, "") === "env") {
    const entry = parseDotenv(text).entries.find((candidate) => candidate.line === finding.line && candidate.value.includes(finding.secret));
    if (entry) return entry.value;
  }
  const line = text.split(/\r?\n/)[finding.line - 1];
  if (line === undefined) return finding.secret;
  let at = finding.column - 1;
  if (line.slice(at, at + finding.secret.length) !== finding.secret) at = line.indexOf(finding.secret);
  if (at < 0) return finding.secret;
  const end = at + finding.secret.length;
  for (const quote of ['"', "'", "`"]) {
    const open = line.lastIndexOf(quote, at - 1);
    const close = line.indexOf(quote, end);
    if (open === -1 || close === -1 || line.slice(open + 1, at).includes(quote)) continue;
    const body = line.slice(open + 1, close);
    if (quote === '"' && finding.file.endsWith(".json")) {
      try {
        return JSON.parse(`"${body}"`) as string;
      } catch {
        return body;
      }
    }
    return body;
  }
  const assigned = /^\s*(?:export\s+)?[A-Za-z_][\w.-]*\s*[=:]\s*/.exec(line);
  const start = assigned && assigned[0].length <= at ? assigned[0].length : line.lastIndexOf(" ", at) + 1;
  const rest = line.slice(start).replace(/\s+#.*$/, "").trim();
  return rest.includes(finding.secret) ? rest : finding.secret;
}

/**
 * A value seen only in git history or an older object version, whose file and key the
 * current version no longer sets, is exposed and probably dead: rotate it, do not import it.
 */
export function markHistoryOnly(candidates: readonly Candidate[]): Candidate[] {
  const identity = (candidate: Candidate) => `${candidate.file}\0${candidate.originalName ?? candidate.key ?? candidate.ruleId}`;
  const current = candidates.filter((candidate) => candidate.commit === undefined);
  const currentKeys = new Set(current.map(identity));
  const currentValues = new Set(current.map((candidate) => candidate.value));
  return candidates.map((candidate) =>
    candidate.commit !== undefined && !candidate.superseded && !currentKeys.has(identity(candidate)) && !currentValues.has(candidate.value)
      ? makeCandidate({ ...candidate, historyOnly: true }, candidate.value)
      : candidate,
  );
}

/**
 * A finding inside a value that a legacy parser read whole (the password of a Terraform
 * `jsonencode({...})` secret_string, a Kubernetes Secret's `stringData`) is part of that
 * secret, not another one; a finding on an entry's line (a Kubernetes `data` value still in base64) is that entry.
 */
export function withoutPartsOf(wholes: readonly Candidate[], found: readonly Candidate[]): Candidate[] {
  const byFile = new Map<string, Candidate[]>();
  for (const whole of wholes) {
    const entries = byFile.get(whole.file);
    if (entries) entries.push(whole);
    else byFile.set(whole.file, [whole]);
  }
  return found.filter((candidate) => {
    const escaped = JSON.stringify(candidate.value).slice(1, -1);
    return !(byFile.get(candidate.file) ?? []).some((whole) =>
      (whole.line === candidate.line && whole.commit === candidate.commit) || (whole.value !== candidate.value && (whole.value.includes(candidate.value) || whole.value.includes(escaped))),
    );
  });
}

/** Candidates from one file or object in a legacy vault format. */
export function candidatesFromFragment(fragment: Fragment, isLatest = true): Candidate[] {
  const text = fragment.content.toString("utf8");
  return parseLegacy(fragment.path, text).map((entry) => {
    const identity = entry.originalName ?? entry.key ?? `line ${entry.line}`;
    return makeCandidate(
      {
        fingerprint: legacyFingerprint(fragment.path, identity, isLatest ? undefined : fragment.versionId),
        file: fragment.path,
        line: entry.line,
        ruleId: `legacy-${entry.format}`,
        ...(entry.key !== undefined ? { key: entry.key } : {}),
        ...(entry.originalName !== undefined ? { originalName: entry.originalName } : {}),
        ...(entry.type !== undefined ? { legacyType: entry.type } : {}),
        scope: { ...scopeOfFile(fragment.path), ...entry.scope },
        ...(fragment.commit !== undefined ? { commit: fragment.commit } : {}),
        ...(fragment.versionId !== undefined ? { versionId: fragment.versionId } : {}),
      },
      entry.value,
    );
  });
}

/** `ssm-dev.py`, `prod.env`, `secrets-staging.tf`: the words of a file name, for the environment it pushes to. */
export function scopeOfFile(file: string): { words: string[] } {
  return { words: path.posix.basename(file).toLowerCase().replace(/\.[a-z0-9]+$/, "").split(/[-_.]+/).filter(Boolean) };
}

/**
 * Candidates from a vault bucket. An older object version that sets a name the current
 * version also sets, to a different value, is marked superseded: shown, skipped unless
 * the user imports it under another name.
 */
export function candidatesFromVault(fragments: readonly S3Fragment[]): Candidate[] {
  const current = new Map<string, string>();
  const perFragment = fragments.map((fragment) => ({ fragment, candidates: candidatesFromFragment(fragment, fragment.isLatest) }));
  const identity = (candidate: Candidate) => `${candidate.file}\0${candidate.originalName ?? candidate.key ?? ""}`;
  for (const { fragment, candidates } of perFragment) {
    if (fragment.isLatest) for (const candidate of candidates) current.set(identity(candidate), candidate.value);
  }
  return perFragment.flatMap(({ fragment, candidates }) =>
    fragment.isLatest
      ? candidates
      : candidates.map((candidate) => {
          const now = current.get(identity(candidate));
          if (now === undefined) return makeCandidate({ ...candidate, historyOnly: true }, candidate.value);
          return now !== candidate.value ? makeCandidate({ ...candidate, superseded: true }, candidate.value) : candidate;
        }),
  );
}

/**
 * Git history holds every value a key ever had. A value from history is superseded when
 * the working tree (or a newer commit, for a file since deleted) sets the same key in the
 * same file to another value: it is shown, and skipped unless imported under its own name.
 */
export function supersedeHistory(candidates: readonly Candidate[]): Candidate[] {
  const identity = (candidate: Candidate) => `${candidate.file}\0${candidate.originalName ?? candidate.key ?? candidate.ruleId}`;
  const newest = new Map<string, Candidate>();
  for (const candidate of candidates) {
    const known = newest.get(identity(candidate));
    const newer = !known || (known.commit !== undefined && (candidate.commit === undefined || (candidate.date ?? "") > (known.date ?? "")));
    if (newer) newest.set(identity(candidate), candidate);
  }
  return candidates.map((candidate) => {
    const current = newest.get(identity(candidate)) as Candidate;
    return candidate.commit !== undefined && current !== candidate && current.value !== candidate.value
      ? makeCandidate({ ...candidate, superseded: true }, candidate.value)
      : candidate;
  });
}
