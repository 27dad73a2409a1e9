/**
 * A candidate is one plaintext value that could become a secret: where it was found,
 * the name it was known by, and the value itself. The value is non-enumerable, like
 * `Finding.secret`, so printing or serialising a candidate never carries it.
 */
import path from "node:path";
import { defaultFingerprinter } from "../../core/fingerprint.ts";
import { redact } from "../../core/redact.ts";
import type { Finding } from "../scan/types.ts";

export interface Candidate {
  /** Stable identity: baselines and mapping files key on it. */
  fingerprint: string;
  /** Display path: relative to the scanned root, or `s3://bucket/key`. */
  file: string;
  /** 1-based. */
  line: number;
  /** The rule (scanner) or legacy format (`python`, `terraform`, `env`, `json`, `yaml`) that found it. */
  ruleId: string;
  /** The variable or key it was assigned to (DB_PASSWORD, password). */
  key?: string;
  /** The name a legacy script or Terraform file gave it (`/prod/payments/db_password`). */
  originalName?: string;
  /** Output of core/redact.ts; never the value. */
  redacted: string;
  commit?: string;
  /** Git history: the commit's author date (ISO). */
  date?: string;
  versionId?: string;
  /** An older S3 object version or git commit whose key is still set in the current version. */
  superseded?: boolean;
  readonly value: string;
}

export type CandidateFields = Omit<Candidate, "value" | "redacted">;

/** Builds a candidate and attaches the value without making it serialisable. */
export function makeCandidate(fields: CandidateFields, value: string): Candidate {
  const candidate = { ...fields, redacted: redact(value) };
  return Object.defineProperty(candidate, "value", { value, enumerable: false, writable: false }) as Candidate;
}

export function candidateFromFinding(finding: Finding): Candidate {
  return makeCandidate(
    {
      fingerprint: finding.fingerprint,
      file: finding.file,
      line: finding.line,
      ruleId: finding.ruleId,
      ...(finding.key !== undefined ? { key: finding.key } : {}),
      ...(finding.commit !== undefined ? { commit: finding.commit } : {}),
      ...(finding.date !== undefined ? { date: finding.date } : {}),
      ...(finding.versionId !== undefined ? { versionId: finding.versionId } : {}),
    },
    finding.secret,
  );
}

/**
 * Legacy candidates are fingerprinted by where they live (file, name or key, and the
 * object version unless it is the current one), never by value, keyed like every
 * fingerprint (core/fingerprint.ts).
 */
export function legacyFingerprint(file: string, nameOrKey: string, versionId?: string): string {
  return `legacy:${defaultFingerprinter().place("legacy", file, nameOrKey, versionId ?? "").slice(0, 24)}`;
}

/** Where a candidate was found, for humans: `s3://vault/ssm-db.py:3 (version 3Lg...)`. */
export function describeLocation(candidate: Pick<Candidate, "file" | "line" | "commit" | "versionId">): string {
  const at = `${candidate.file}:${candidate.line}`;
  if (candidate.commit) return `${at} (commit ${candidate.commit.slice(0, 10)})`;
  if (candidate.versionId) return `${at} (version ${candidate.versionId})`;
  return at;
}

/** The name a candidate suggests before the naming convention applies: original name's leaf, key, or file. */
export function suggestedLeaf(candidate: Pick<Candidate, "originalName" | "key" | "file" | "ruleId">): string {
  if (candidate.originalName) return candidate.originalName.split("/").filter(Boolean).pop() ?? candidate.originalName;
  if (candidate.key) return candidate.key.includes("/") ? (candidate.key.split("/").filter(Boolean).pop() ?? candidate.key) : candidate.key.split(".").join("-");
  const base = path.posix.basename(candidate.file.replace(/^s3:\/\/[^/]+\//, "")).replace(/^\.+/, "");
  return `${base.replace(/\.[A-Za-z0-9]+$/, "")}-${candidate.ruleId}`;
}
