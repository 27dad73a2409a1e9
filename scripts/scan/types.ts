/**
 * The scanner's shared types. Sources yield fragments (a file, a git blob, an S3
 * object); detectors turn fragments into findings; reports write findings out.
 */

export interface Fragment {
  /** Display path: relative to the scanned root, or `s3://bucket/key`. */
  path: string;
  content: Buffer;
  /** Where the fragment came from. */
  source: "file" | "git" | "s3";
  /** Git history: the commit that introduced this blob at `path`, and its author date. */
  commit?: string;
  date?: string;
  /** S3: the object version id, when scanning versions. */
  versionId?: string;
  /** S3: false for an older object version (its findings are places of their own). */
  isLatest?: boolean;
}

/** A source of fragments; a new source (an S3 bucket, an archive) is one new file under sources/. */
export interface Source {
  /** Human description for progress and errors, e.g. `git history of ./repo`. */
  readonly label: string;
  fragments(): AsyncIterable<Fragment>;
  /** Items left out while reading (over the size limit, unreadable): a count or their paths; added to the report's stats. */
  readonly skipped?: number | readonly string[];
}

export interface Finding {
  ruleId: string;
  /** Same as Fragment.path. */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  /** Never the whole value: the output of core/redact.ts. */
  redacted: string;
  /** Names the place (file, rule, key or line context, commit or version), not the value; keyed (core/fingerprint.ts). Baselines and mapping files key on it. */
  fingerprint: string;
  commit?: string;
  date?: string;
  source?: Fragment["source"];
  versionId?: string;
  /** The variable or key the value was assigned to, when the rule knows it (DB_PASSWORD, password). */
  key?: string;
  /** The path is test code, a fixture, an example or documentation: most likely a sample value (see detect/context.ts). */
  context?: "test" | "fixture" | "example" | "docs";
  /** The value was found in the decoded form of the text at line/column. */
  decoded?: "base64" | "percent" | "escaped";
  /**
   * The matched value. Defined non-enumerable (see `withSecret`), so JSON.stringify and
   * object spreads never carry it into a report; only migration reads it.
   */
  readonly secret: string;
}

/** Attaches the value to a finding without making it serialisable. */
export function withSecret<T extends Omit<Finding, "secret">>(finding: T, secret: string): T & Finding {
  return Object.defineProperty(finding, "secret", { value: secret, enumerable: false, writable: false }) as T & Finding;
}

export interface ScanStats {
  /** Fragments scanned (files, blobs, objects). */
  files: number;
  bytes: number;
  durationMs: number;
  /** Left out: over the size limit, binary, unreadable, or under an allowlisted path. */
  skipped: number;
  /** With git history: commits walked. */
  commits?: number;
}

export interface ScanReport {
  findings: Finding[];
  stats: ScanStats;
  /** Id of the hash key the fingerprints were made with (core/state.ts); set when there are findings. */
  fingerprintKey?: string;
}
