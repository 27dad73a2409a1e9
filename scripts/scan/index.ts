/**
 * The scanner's library API: map arguments to sources, scan them, and get a report of
 * findings whose values stay out of every serialisation (see `withSecret`).
 *
 *   const sources = sourcesFor(["./repo"], { history: true });
 *   const report = await scanSources(sources, { allowPaths: config.scan.allowPaths });
 *   for (const finding of report.findings) use(finding.key, finding.secret);
 */
import { availableParallelism } from "node:os";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { pathGlobMatcher } from "../../core/samples.ts";
import { inputError } from "../../core/errors.ts";
import { randomBytes } from "node:crypto";
import { createFingerprinter, defaultFingerprinter, defaultHashKey, type Fingerprinter } from "../../core/fingerprint.ts";
import { Detector, isBinary, type Explanation } from "./detect/detector.ts";
import { DetectorPool } from "./detect/pool.ts";
import type { Rule } from "./rules.ts";
import { DirectorySource } from "./sources/directory.ts";
import { GitHistorySource } from "./sources/git.ts";
import { s3SourceFor } from "./sources/s3.ts";
import type { S3Client } from "@aws-sdk/client-s3";
import type { Finding, Fragment, ScanReport, Source } from "./types.ts";

export { applyBaseline, readBaseline } from "./baseline.ts";
export { Detector, type Explanation } from "./detect/detector.ts";
export { pathContext, type FindingContext } from "./detect/context.ts";
export { RULES, type Rule } from "./rules.ts";
export { DirectorySource } from "./sources/directory.ts";
export { GitHistorySource } from "./sources/git.ts";
export type { Finding, Fragment, ScanReport, ScanStats, Source } from "./types.ts";
export { withSecret } from "./types.ts";

export const DEFAULT_MAX_FILE_BYTES = 5 * 1024 * 1024;

/** Below this many bytes the scan stays on the main thread: starting workers costs more than it saves. */
const PARALLEL_AFTER_BYTES = 4 * 1024 * 1024;
/** Batches handed to workers and not yet answered, per worker. */
const IN_FLIGHT_PER_WORKER = 4;
/** A batch closes at this many bytes or fragments: a message per file costs more than a small file's detection. */
const BATCH_BYTES = 256 * 1024;
const BATCH_FRAGMENTS = 256;

export interface ScanProgress {
  files: number;
  bytes: number;
  findings: number;
  /** The source being read. */
  label: string;
}

export interface ScanOptions {
  /** gitignore-style globs of paths whose findings are accepted (config `scan.allowPaths`). */
  allowPaths?: readonly string[];
  /** Detector threads besides the main thread, which detects too; 0 keeps everything on the main thread. Default: one per CPU but one. */
  workers?: number;
  rules?: readonly Rule[];
  /** Bytes scanned on the main thread before the workers start (default 4 MiB). */
  parallelAfterBytes?: number;
  onProgress?: (progress: ScanProgress) => void;
  /** The key fingerprints are HMACs under; default: this process's hash key (core/state.ts). */
  hashKey?: Buffer;
}

export interface SourceOptions {
  /** Also scan every commit reachable from all refs. */
  history?: boolean;
  /** Only the staged changes (git index against HEAD), not the working tree or history. */
  staged?: boolean;
  /** Only the commits after this ref, not the working tree. */
  since?: string;
  /** With s3:// sources, every object version. */
  versions?: boolean;
  /** The S3 client for s3:// sources (the command's `context.aws().s3()`); default: one from the AWS_* environment. */
  s3?: () => Promise<S3Client>;
  maxFileBytes?: number;
  /** Called for each file left out over the size limit or unreadable. */
  onSkip?: (file: string, reason: string) => void;
}

/** Maps CLI arguments (directories, files, `s3://bucket/prefix`) to sources; no arguments means `.`. */
export function sourcesFor(args: readonly string[], options: SourceOptions = {}): Source[] {
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const targets = args.length > 0 ? args : ["."];
  // With a bucket among the sources, --versions applies to it; with none it would do nothing.
  if (options.versions && !targets.some((arg) => arg.startsWith("s3://"))) throw inputError(`--versions applies to s3:// sources, not to ${targets[0]}`);
  return targets.flatMap((arg): Source[] => {
    if (arg.startsWith("s3://")) {
      // The S3 vault bucket source (sources/s3.ts) plugs in here.
      return [s3SourceFor(arg, { versions: options.versions ?? false, maxBytes: maxFileBytes, ...(options.s3 ? { client: options.s3 } : {}) })];
    }
    const root = path.resolve(arg);
    if (options.staged && options.since !== undefined) throw inputError("--staged scans the index and --since a range of commits: choose one");
    if (options.staged || options.since !== undefined) {
      return [new GitHistorySource(root, { maxFileBytes, onSkip: options.onSkip, ...(options.staged ? { staged: true } : { since: options.since }) })];
    }
    const sources: Source[] = [new DirectorySource(root, { maxFileBytes, onSkip: options.onSkip })];
    if (options.history) sources.push(new GitHistorySource(root, { maxFileBytes, onSkip: options.onSkip }));
    return sources;
  });
}

/** Scans every fragment of every source; findings are sorted by file, line and column. */
export async function scanSources(sources: readonly Source[], options: ScanOptions = {}): Promise<ScanReport> {
  const started = performance.now();
  const allowed = pathGlobMatcher(options.allowPaths ?? []);
  let fingerprinter: Fingerprinter | undefined = options.hashKey ? createFingerprinter(options.hashKey) : undefined;
  const detector = new Detector(options.rules, fingerprinter);
  // Each worker loads its own detector and warms its own JIT, so one fewer than the CPUs, with the main thread helping, is faster.
  const workerCount = options.workers ?? (options.rules ? 0 : availableParallelism() - 1);
  let pool: DetectorPool | undefined;
  // Findings per fragment in the order the sources yield them, whichever thread detected them.
  const found: Finding[][] = [];
  let findingCount = 0;
  const inFlight = new Set<Promise<void>>();
  const stats = { files: 0, bytes: 0, skipped: 0 };
  let commits: number | undefined;
  let failure: unknown;
  let batch: Fragment[] = [];
  let batchBytes = 0;
  const detectHere = (fragment: Fragment, at: number) => {
    const findings = detector.detect(fragment);
    found[at] = findings;
    findingCount += findings.length;
  };
  const flush = async (workers: DetectorPool) => {
    const fragments = batch;
    const first = found.length - fragments.length;
    batch = [];
    batchBytes = 0;
    const worker = workers.idleWorker(IN_FLIGHT_PER_WORKER);
    if (worker !== undefined) {
      const task: Promise<void> = workers
        .detect(fragments, worker)
        .then(
          (results) =>
            results.forEach((findings, index) => {
              found[first + index] = findings;
              findingCount += findings.length;
            }),
          (error: unknown) => void (failure ??= error),
        )
        .finally(() => inFlight.delete(task));
      inFlight.add(task);
    } else {
      // While the workers load or are busy, the main thread detects too.
      fragments.forEach((fragment, index) => detectHere(fragment, first + index));
    }
    // Lets worker replies in, so their queues refill.
    await new Promise(setImmediate);
    if (failure) throw failure;
  };
  try {
    for (const source of sources) {
      for await (const fragment of source.fragments()) {
        if (allowed(fragment.path) || isBinary(fragment.content)) {
          stats.skipped += 1;
          continue;
        }
        stats.files += 1;
        stats.bytes += fragment.content.length;
        if (!pool && workerCount > 0 && stats.bytes > (options.parallelAfterBytes ?? PARALLEL_AFTER_BYTES)) pool = new DetectorPool(workerCount, options.hashKey ?? defaultHashKey());
        found.push([]);
        if (pool) {
          batch.push(fragment);
          batchBytes += fragment.content.length;
          if (batchBytes >= BATCH_BYTES || batch.length >= BATCH_FRAGMENTS) await flush(pool);
        } else {
          detectHere(fragment, found.length - 1);
        }
        options.onProgress?.({ files: stats.files, bytes: stats.bytes, findings: findingCount, label: source.label });
      }
      stats.skipped += typeof source.skipped === "number" ? source.skipped : (source.skipped?.length ?? 0);
      if (source instanceof GitHistorySource) commits = (commits ?? 0) + source.commits;
    }
    if (pool && batch.length > 0) await flush(pool);
    await Promise.all(inFlight);
    if (failure) throw failure;
  } finally {
    await pool?.close();
  }
  const findings = found.flat();
  if (findings.length > 0) fingerprinter ??= defaultFingerprinter();
  const historic = findings.some((finding) => finding.source === "git");
  return {
    findings: sortFindings(historic ? firstIntroductions(findings, fingerprinter as Fingerprinter) : findings),
    stats: { ...stats, durationMs: Math.round(performance.now() - started), ...(commits !== undefined && { commits }) },
    ...(fingerprinter && { fingerprintKey: fingerprinter.keyId }),
  };
}

/** What every rule decided about one line of a file (`scan --explain FILE:LINE`), values redacted. */
export async function explainLine(file: string, line: number, rules?: readonly Rule[]): Promise<Explanation[]> {
  const content = await readFile(file).catch((error: Error) => {
    throw inputError(`${file}: cannot read: ${error.message}`);
  });
  const relative = path.relative(process.cwd(), path.resolve(file)).split(path.sep).join("/");
  // Explanations show no fingerprints: a throwaway key, so explaining never creates .vaultlift/hash-key.
  return new Detector(rules, createFingerprinter(randomBytes(32))).explain({ path: relative, content, source: "file" }, line);
}

/** Scans one fragment on the calling thread (for sources that already hold the content). */
export function scanFragment(fragment: Fragment, detector = new Detector()): Finding[] {
  return detector.detect(fragment);
}

export { pathGlobMatcher } from "../../core/samples.ts";

/**
 * In history, the same value at the same place is reported once: where it first appeared,
 * and not at all when the working tree still holds it (that finding is the one to fix).
 * A value from history is a place of its own, the commit that introduced it: an older
 * value of a key the working tree now sets otherwise is another finding.
 */
function firstIntroductions(findings: Finding[], fingerprinter: Fingerprinter): Finding[] {
  // Keyed by place and value, in memory only.
  const same = (finding: Finding) => `${finding.fingerprint}\0${finding.secret}`;
  const earliest = new Map<string, Finding>();
  const rest: Finding[] = [];
  for (const finding of findings) {
    if (finding.source !== "git") {
      rest.push(finding);
      continue;
    }
    const known = earliest.get(same(finding));
    if (!known || (finding.date ?? "") < (known.date ?? "")) earliest.set(same(finding), finding);
  }
  const inWorkingTree = new Set(rest.map(same));
  const introduced = [...earliest.values()].filter((finding) => !inWorkingTree.has(same(finding)));
  for (const finding of introduced) finding.fingerprint = fingerprinter.place("history", finding.fingerprint, finding.commit ?? "");
  return [...rest, ...introduced];
}

function sortFindings(findings: Finding[]): Finding[] {
  const order = { file: 0, s3: 1, git: 2 } as const;
  return findings.sort(
    (a, b) =>
      order[a.source ?? "file"] - order[b.source ?? "file"] ||
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.line - b.line ||
      a.column - b.column ||
      (a.commit ?? "").localeCompare(b.commit ?? ""),
  );
}
export { atLeast, confidenceOf, CONFIDENCES, formatExplanation, formatReport, FORMATS, type Confidence, type ReportFormat } from "./report/index.ts";
