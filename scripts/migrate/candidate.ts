/**
 * A candidate is one plaintext value that could become a secret: where it was found,
 * the name it was known by, and the value itself. The value is non-enumerable, like
 * `Finding.secret`, so printing or serialising a candidate never carries it.
 */
import path from "node:path";
import { normaliseSegment } from "../../core/naming.ts";
import { defaultFingerprinter } from "../../core/fingerprint.ts";
import { redact } from "../../core/redact.ts";
import type { Finding } from "../scan/types.ts";
import type { ParameterType } from "./legacy.ts";

export type { ParameterType };

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
  /** The repository (directory name) or bucket the candidate came from, for the `vaultlift:source` tag. */
  origin?: string;
  /** A working-tree file in a git repository: the commit checked out (HEAD), for the `vaultlift:source` tag. */
  revision?: string;
  /** The SSM type the legacy code gave it (`put_parameter(Type=...)`, Terraform `type`). */
  legacyType?: ParameterType;
  /** Name parts the source itself states: `ssm-dev.py`, `SsmParameterUpdater('myapp-dev', ...)`. */
  scope?: { app?: string; env?: string; words?: string[] };
  /** Found only in git history or an older object version, never in the current one: exposed and probably dead. */
  historyOnly?: boolean;
  readonly value: string;
}

export type CandidateFields = Omit<Candidate, "value" | "redacted">;

/** Builds a candidate and attaches the value without making it serialisable. */
export function makeCandidate(fields: CandidateFields, value: string): Candidate {
  const candidate = { ...fields, redacted: redact(value) };
  return Object.defineProperty(candidate, "value", { value, enumerable: false, writable: false }) as Candidate;
}

export function candidateFromFinding(finding: Finding, value: string = finding.secret): Candidate {
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
    value,
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

/** Path segments that say where a value lives (a framework, a vault, "legacy"), not what it is. */
const NOISE_SEGMENTS = new Set(["spring", "config", "configuration", "settings", "secrets", "secret", "params", "parameters", "vault", "legacy", "data", "string-data", "credentials-file"]);

/**
 * The leaf a candidate suggests before the naming convention applies: every segment of
 * its legacy name or key path (`/myapp/database/password/1`, `sendgrid.apiKey`) less the
 * parts the template already holds (`known`: org, team, env, app) and framework prefixes,
 * joined: `database-password-1`, `sendgrid-api-key`, `mail-password`.
 */
export function suggestedLeaf(candidate: Pick<Candidate, "originalName" | "key" | "file" | "ruleId">, known: readonly string[] = []): string {
  const parts = new Set(known.filter(Boolean).map((part) => part.toLowerCase()));
  const legacyPath = candidate.originalName ?? candidate.key;
  if (legacyPath) {
    const segments = legacyPath
      .split(/[/.:]/)
      .map((segment) => normaliseSegment(segment))
      .filter(Boolean)
      .map((segment) => stripParts(segment, parts))
      .filter((segment) => segment !== "" && !NOISE_SEGMENTS.has(segment));
    if (segments.length > 0) return segments.join("-");
    const last = legacyPath.split(/[/.]/).filter(Boolean).pop();
    if (last) return normaliseSegment(last);
  }
  const base = path.posix.basename(candidate.file.replace(/^s3:\/\/[^/]+\//, "")).replace(/^\.+/, "");
  return `${base.replace(/\.[A-Za-z0-9]+$/, "")}-${candidate.ruleId}`;
}

/** Terms whose first word is not a name part: `api-key` stays `api-key` in app `api`. */
const COMPOUND_TERMS = /^(?:api|app|auth|client|access|secret|private|public|service|master|session|signing|db)-(?:key|secret|token|id|password|pass)$/;

/** `myapp` in `myapp-db`, `prod` in `db-prod`, a whole `payments`: removed. */
function stripParts(segment: string, parts: ReadonlySet<string>): string {
  if (COMPOUND_TERMS.test(segment)) return segment;
  let rest = segment;
  for (const part of parts) {
    if (rest === part) return "";
    if (rest.startsWith(`${part}-`)) rest = rest.slice(part.length + 1);
    if (rest.endsWith(`-${part}`)) rest = rest.slice(0, -part.length - 1);
  }
  return rest;
}
