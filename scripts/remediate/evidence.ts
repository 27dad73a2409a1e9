/**
 * Where the migrated values still are. What was migrated comes from the apply journal
 * (store, name and keyed value hash of every verified write); the sources are read again
 * (scanner and legacy parsers find the values, hashed with the same key), and every
 * occurrence of a migrated value is located: working-tree offsets, git commits, S3 object
 * versions. The values migrate left out because they are exposed (journal `exposed`) are
 * located too, in history and object versions, to be rotated and purged. Values stay in
 * memory, as non-enumerable properties, and are never printed.
 */
import { execFileSync } from "node:child_process";
import { statSync } from "node:fs";
import path from "node:path";
import type { S3Client } from "@aws-sdk/client-s3";
import type { Store } from "../../core/naming.ts";
import { candidateFromFinding, type Candidate } from "../migrate/candidate.ts";
import { candidatesFromFragment, collectCandidates } from "../migrate/collect.ts";
import type { ValueHasher } from "../migrate/hash.ts";
import type { JournalRecord } from "../migrate/journal.ts";
import { scanFragment } from "../scan/index.ts";
import { DirectorySource } from "../scan/sources/directory.ts";
import { parseS3Url, S3VaultSource } from "../scan/sources/s3.ts";
import type { Finding } from "../scan/types.ts";
import { fileKind, type FileKind } from "./references.ts";

export interface MigratedSecret {
  name: string;
  store: Store;
  /** Never imported: migrate left it out as exposed (the name is the one it would have had). */
  notImported?: "history" | "version";
}

/** Every verified write of the journal, by value hash, the latest name first; then the values left out as exposed. */
export function migratedFromJournal(records: readonly JournalRecord[]): Map<string, MigratedSecret[]> {
  // Per hash, the secrets by store and name in journal order: a later record moves its name to the end.
  const inOrder = { verified: new Map<string, Map<string, MigratedSecret>>(), exposed: new Map<string, Map<string, MigratedSecret>>() };
  for (const record of records) {
    if (record.event !== "verified" && record.event !== "exposed") continue;
    const byName = inOrder[record.event].get(record.valueHash) ?? new Map<string, MigratedSecret>();
    inOrder[record.event].set(record.valueHash, byName);
    const key = `${record.store}\0${record.name}`;
    byName.delete(key);
    byName.set(key, { name: record.name, store: record.store, ...(record.event === "exposed" ? { notImported: record.why } : {}) });
  }
  const latestFirst = (byHash: Map<string, Map<string, MigratedSecret>>) => new Map([...byHash].map(([hash, byName]) => [hash, [...byName.values()].reverse()]));
  const imported = latestFirst(inOrder.verified);
  const exposed = latestFirst(inOrder.exposed);
  for (const [hash, secrets] of exposed) {
    const names = new Set((imported.get(hash) ?? []).map((secret) => `${secret.store}\0${secret.name}`));
    imported.set(hash, [...(imported.get(hash) ?? []), ...secrets.filter((secret) => !names.has(`${secret.store}\0${secret.name}`))]);
  }
  return imported;
}

/** Imported under at least one name (else only known as exposed and left out). */
export const isImported = (secrets: readonly MigratedSecret[] | undefined): boolean => (secrets ?? []).some((secret) => secret.notImported === undefined);

export interface WorkingTreeHit {
  /** The source argument it was found under. */
  root: string;
  /** Display path, relative to the root. */
  file: string;
  absolute: string;
  kind: FileKind;
  start: number;
  end: number;
  line: number;
  valueHash: string;
  /** The literal is this key of the migrated JSON value (a Terraform `jsonencode({ password = ... })`). */
  field?: string;
  /** The literal is the base64 of the value (Kubernetes `data:`). */
  encoded?: "base64";
  /** The file is known to git (it was committed at some point). */
  committed: boolean;
}

export interface HistoryHit {
  root: string;
  file: string;
  line: number;
  commit: string;
  valueHash: string;
  field?: string;
}

export interface VaultVersionHit {
  root: string;
  bucket: string;
  key: string;
  /** Undefined for an object of a bucket that never had versioning. */
  versionId?: string;
  isLatest: boolean;
  /** Migrated value hashes it holds. */
  migrated: string[];
  /** Values it holds that were not migrated (hashes; counted, never shown); the exposed ones too. */
  unmigrated: string[];
  /** Hashes of values migrate left out as exposed, which this version holds. */
  exposed: string[];
}

export interface Evidence {
  workingTree: WorkingTreeHit[];
  history: HistoryHit[];
  vault: VaultVersionHit[];
  /** Directory sources that are git repositories, with the keys of `values` found there (for the purge file). */
  repositories: { root: string; remote?: string; valueHashes: Set<string> }[];
  /** The migrated (and left-out exposed) values found, by value hash, and their JSON fields by `hash#field`; non-enumerable. */
  readonly values: ReadonlyMap<string, string>;
  notes: string[];
}

export interface EvidenceOptions {
  s3: () => Promise<S3Client>;
  history: boolean;
  maxBytes: number;
  hasher: ValueHasher;
  migrated: ReadonlyMap<string, readonly MigratedSecret[]>;
  scan: (source: string) => Promise<readonly Finding[]>;
}

export async function gatherEvidence(sources: readonly string[], options: EvidenceOptions): Promise<Evidence> {
  const notes: string[] = [];
  const values = new Map<string, string>();
  const isMigrated = (candidate: Candidate) => {
    const hash = options.hasher.hash(candidate.value);
    if (options.migrated.has(hash)) values.set(hash, candidate.value);
    return options.migrated.has(hash) ? hash : undefined;
  };
  const directories: { root: string; candidates: Candidate[]; findings: Finding[] }[] = [];
  const buckets: { root: string; versions: { fragment: Awaited<ReturnType<typeof readBucket>>[number]; candidates: Candidate[] }[] }[] = [];

  for (const source of sources) {
    const location = parseS3Url(source);
    if (location) {
      const fragments = await readBucket(options.s3, location, options.maxBytes, notes);
      buckets.push({
        root: source,
        versions: fragments.map((fragment) => ({ fragment, candidates: [...candidatesFromFragment(fragment, fragment.isLatest), ...scanFragment(fragment).map((finding) => candidateFromFinding(finding))] })),
      });
      continue;
    }
    const findings: Finding[] = [];
    const scan = async (root: string) => {
      const found = await options.scan(root);
      findings.push(...found);
      return found;
    };
    const collected = await collectCandidates([source], { s3: options.s3, maxBytes: options.maxBytes, scan });
    notes.push(...collected.notes);
    directories.push({ root: source, candidates: collected.candidates, findings });
  }
  for (const candidate of [...directories, ...buckets.flatMap((bucket) => bucket.versions)].flatMap((entry) => entry.candidates)) isMigrated(candidate);
  addFields(values);

  const evidence: Evidence = { workingTree: [], history: [], vault: [], repositories: [], values, notes };
  Object.defineProperty(evidence, "values", { value: values, enumerable: false });
  const byValue = new Map([...values].map(([key, value]) => [value, key]));
  const importedValues = new Map([...values].filter(([key]) => isImported(options.migrated.get(splitKey(key).valueHash))));
  for (const { root, candidates, findings } of directories) {
    const git = gitInfo(root);
    const hashes = new Set<string>();
    const seen = new Set<string>();
    const inHistory = [...candidates, ...findings.map((finding) => candidateFromFinding(finding))].filter((candidate) => candidate.commit !== undefined);
    for (const candidate of inHistory) {
      const key = byValue.get(candidate.value);
      const place = `${candidate.file}\0${candidate.line}\0${candidate.commit}\0${key}`;
      if (key === undefined || seen.has(place)) continue;
      seen.add(place);
      hashes.add(key);
      evidence.history.push({ root, file: candidate.file, line: candidate.line, commit: candidate.commit as string, ...splitKey(key) });
    }
    // Only imported values have a reference to put in their place.
    const hits = await findInWorkingTree(root, importedValues, options.maxBytes, git);
    for (const hit of hits) hashes.add(hit.field ? `${hit.valueHash}#${hit.field}` : hit.valueHash);
    evidence.workingTree.push(...hits);
    if (git) evidence.repositories.push({ root, ...(git.remote ? { remote: git.remote } : {}), valueHashes: hashes });
  }
  for (const { root, versions } of buckets) {
    for (const { fragment, candidates } of versions) {
      const text = fragment.content.toString("utf8");
      const migrated = new Set<string>();
      const unmigrated = new Set<string>();
      const exposed = new Set<string>();
      const found = [...importedValues.values()];
      for (const candidate of candidates) {
        const hash = options.hasher.hash(candidate.value);
        const secrets = options.migrated.get(hash);
        if (isImported(secrets)) migrated.add(hash);
        else if (secrets) exposed.add(hash);
        // A part of a migrated value (the password the scanner saw inside a migrated URI) went with it.
        else if (!found.some((value) => value.includes(candidate.value))) unmigrated.add(hash);
      }
      for (const [key, value] of values) {
        const { valueHash } = splitKey(key);
        if (text.includes(value)) (isImported(options.migrated.get(valueHash)) ? migrated : exposed).add(valueHash);
      }
      // Never imported, so deleting the version would lose the only copy: it is left alone, and rotated.
      for (const hash of exposed) unmigrated.add(hash);
      if (migrated.size === 0 && unmigrated.size === 0) continue;
      evidence.vault.push({
        root,
        bucket: parseS3Url(root)?.bucket as string,
        key: fragment.key,
        ...(fragment.versionId ? { versionId: fragment.versionId } : {}),
        isLatest: fragment.isLatest,
        migrated: [...migrated],
        unmigrated: [...unmigrated].filter((hash) => !migrated.has(hash)),
        exposed: [...exposed],
      });
    }
  }
  return evidence;
}

/** `hash` or `hash#field` -> its parts. */
export function splitKey(key: string): { valueHash: string; field?: string } {
  const at = key.indexOf("#");
  return at === -1 ? { valueHash: key } : { valueHash: key.slice(0, at), field: key.slice(at + 1) };
}

/**
 * The string fields of migrated JSON values, as `hash#field`: a Terraform `jsonencode({...})`
 * or a config file holds the password, not the JSON the legacy parser assembled from it.
 */
function addFields(values: Map<string, string>): void {
  for (const [hash, value] of [...values]) {
    if (!value.startsWith("{")) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      continue;
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) continue;
    for (const [field, inner] of Object.entries(parsed as Record<string, unknown>)) {
      // Short fields (a user name) are not secrets and would match everywhere.
      if (typeof inner === "string" && inner.length >= 8 && !field.includes("#")) values.set(`${hash}#${field}`, inner);
    }
  }
}

async function readBucket(client: () => Promise<S3Client>, location: NonNullable<ReturnType<typeof parseS3Url>>, maxBytes: number, notes: string[]) {
  const source = new S3VaultSource(client, location, { versions: true, maxBytes });
  const fragments = [];
  for await (const fragment of source.objects()) fragments.push(fragment);
  for (const skipped of source.skipped) notes.push(`${skipped}: larger than ${maxBytes} bytes, not read`);
  return fragments;
}

/** Every occurrence of every migrated value in the working tree (base64 too, in Kubernetes Secrets). */
async function findInWorkingTree(root: string, values: ReadonlyMap<string, string>, maxBytes: number, git: { top: string; committed: ReadonlySet<string> } | undefined): Promise<WorkingTreeHit[]> {
  if (values.size === 0) return [];
  const single = statSync(root).isFile();
  const hits: WorkingTreeHit[] = [];
  // Longest values first, so a password inside a migrated URI is not replaced inside it.
  const ordered = [...values].sort((a, b) => b[1].length - a[1].length);
  for await (const fragment of new DirectorySource(root, { maxFileBytes: maxBytes }).fragments()) {
    const text = fragment.content.toString("utf8");
    const kind = fileKind(fragment.path, text);
    const absolute = single ? path.resolve(root) : path.join(root, fragment.path);
    const relativeToRepo = path.relative(git?.top ?? root, absolute).split(path.sep).join("/");
    const taken: [number, number][] = [];
    for (const [key, value] of ordered) {
      const forms: [string, WorkingTreeHit["encoded"]][] = [[value, undefined]];
      if (kind === "kubernetes") forms.push([Buffer.from(value, "utf8").toString("base64"), "base64"]);
      for (const [literal, encoded] of forms) {
        for (let start = text.indexOf(literal); start !== -1; start = text.indexOf(literal, start + literal.length)) {
          const end = start + literal.length;
          if (taken.some(([from, to]) => start < to && end > from)) continue;
          taken.push([start, end]);
          hits.push({
            root,
            file: fragment.path,
            absolute,
            kind,
            start,
            end,
            line: text.slice(0, start).split("\n").length,
            ...splitKey(key),
            ...(encoded ? { encoded } : {}),
            committed: git?.committed.has(relativeToRepo) ?? false,
          });
        }
      }
    }
  }
  return hits.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.start - b.start));
}

/** A local git command that takes longer than this is stuck (a lock, a hung hook), not slow. */
const GIT_TIMEOUT_MS = 120_000;

/** The repository's top folder, the paths git ever recorded in any commit, and the origin remote; undefined outside a repository. */
function gitInfo(root: string): { top: string; committed: Set<string>; remote?: string } | undefined {
  const dir = statSync(root).isFile() ? path.dirname(root) : root;
  const git = (args: string[]) =>
    execFileSync("git", ["-C", dir, "-c", "core.quotePath=false", ...args], { encoding: "utf8", timeout: GIT_TIMEOUT_MS, stdio: ["ignore", "pipe", "ignore"], maxBuffer: 256 * 1024 * 1024 });
  let top: string;
  try {
    top = git(["rev-parse", "--show-toplevel"]).trim();
  } catch {
    return undefined;
  }
  let names = "";
  try {
    names = git(["log", "--all", "--format=", "--name-only", "--no-renames"]);
  } catch {
    // A repository without commits has nothing committed.
  }
  let remote: string | undefined;
  try {
    remote = git(["remote", "get-url", "origin"]).trim() || undefined;
  } catch {
    remote = undefined;
  }
  return { top, committed: new Set(names.split("\n").filter(Boolean)), ...(remote ? { remote } : {}) };
}
