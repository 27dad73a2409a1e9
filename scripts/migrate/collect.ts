/**
 * Turns the command's sources into candidates: S3 vault buckets through the S3 source
 * and the legacy parsers, directories through the scanner's findings plus the legacy
 * parsers for Python vault scripts and Terraform files (which know the original names).
 */
import type { S3Client } from "@aws-sdk/client-s3";
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
}

export interface Collected {
  candidates: Candidate[];
  /** Human notes: objects skipped for size, unreadable formats. */
  notes: string[];
}

export async function collectCandidates(sources: readonly string[], options: CollectOptions): Promise<Collected> {
  const candidates: Candidate[] = [];
  const notes: string[] = [];
  for (const source of sources) {
    const location = parseS3Url(source);
    if (location) {
      const s3 = new S3VaultSource(options.s3, location, { versions: options.versions ?? false, maxBytes: options.maxBytes });
      const fragments: S3Fragment[] = [];
      for await (const fragment of s3.objects()) fragments.push(fragment);
      candidates.push(...candidatesFromVault(fragments));
      for (const skipped of s3.skipped) notes.push(`${skipped}: larger than ${options.maxBytes} bytes, not read`);
      continue;
    }
    const legacy: Candidate[] = [];
    for await (const fragment of new DirectorySource(source, { maxFileBytes: options.maxBytes }).fragments()) {
      const format = detectFormat(fragment.path, "");
      if (format === "python" || format === "terraform") legacy.push(...candidatesFromFragment(fragment));
    }
    const found = supersedeHistory((await options.scan(source)).map(candidateFromFinding));
    candidates.push(...withoutPartsOf(legacy, found), ...legacy);
  }
  const seen = new Set<string>();
  const unique = candidates.filter((candidate) => {
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
  return { candidates: unique, notes };
}

/**
 * A finding inside a structured value that a legacy parser read whole (the password of a
 * Terraform `jsonencode({...})` secret_string) is part of that secret, not another one.
 */
export function withoutPartsOf(wholes: readonly Candidate[], found: readonly Candidate[]): Candidate[] {
  const byFile = new Map<string, string[]>();
  for (const whole of wholes) {
    if (!whole.value.startsWith("{")) continue;
    const values = byFile.get(whole.file) ?? [];
    values.push(whole.value);
    byFile.set(whole.file, values);
  }
  return found.filter((candidate) => {
    const escaped = JSON.stringify(candidate.value).slice(1, -1);
    return !(byFile.get(candidate.file) ?? []).some((whole) => whole !== candidate.value && (whole.includes(candidate.value) || whole.includes(escaped)));
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
        ...(fragment.commit !== undefined ? { commit: fragment.commit } : {}),
        ...(fragment.versionId !== undefined ? { versionId: fragment.versionId } : {}),
      },
      entry.value,
    );
  });
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
          return now !== undefined && now !== candidate.value ? makeCandidate({ ...candidate, superseded: true }, candidate.value) : candidate;
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
