/**
 * Mapping files: the batch mode for CI. A mapping says, per source fingerprint, which
 * name and store a candidate gets, or that it is skipped. YAML or JSON:
 *
 *   version: 1
 *   mappings:
 *     "legacy:3f2a...": { name: /acme/payments/prod/api/db-password, store: ssm }
 *     "legacy:9c1b...": { name: stripe-key }      # a leaf, rendered under the template
 *     "generic-api-key:...": skip
 *
 * A plan saved with `--plan-out` is a mapping too: each target's sources map to its name
 * and store, skipped candidates stay skipped.
 */
import { readFileSync } from "node:fs";
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node, type YAMLMap } from "yaml";
import { inputError } from "../../core/errors.ts";
import { isValidSegment, validateName, type Store, type Template } from "../../core/naming.ts";
import type { Candidate } from "./candidate.ts";
import type { Decision } from "./plan.ts";

export interface MappingEntry {
  fingerprint: string;
  decision: Decision;
  line: number;
}

export interface Mapping {
  file: string;
  entries: MappingEntry[];
}

const STORES: readonly string[] = ["secretsmanager", "ssm"];

export function loadMapping(file: string, template: Template): Mapping {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw inputError(`${file}: cannot read mapping file: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message}`);
  }
  return parseMapping(text, file, template);
}

export function parseMapping(text: string, file: string, template: Template): Mapping {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const lineOf = (node: unknown) => lineCounter.linePos((node as Node | undefined)?.range?.[0] ?? 0).line;
  const fail = (node: unknown, message: string): never => {
    throw inputError(`${file}:${lineOf(node)} ${message}`);
  };
  if (doc.errors.length > 0) {
    const error = doc.errors[0] as (typeof doc.errors)[number];
    throw inputError(`${file}:${error.linePos?.[0]?.line ?? 1} ${error.message.split("\n")[0]}`);
  }
  const root = doc.contents;
  if (!isMap(root)) return fail(root, "a mapping file is a map with `mappings:` (or a plan saved with --plan-out)");
  const field = (map: YAMLMap, key: string) => map.items.find((pair) => isPair(pair) && isScalar(pair.key) && pair.key.value === key);
  const entries: MappingEntry[] = [];
  const seen = new Map<string, number>();
  const add = (fingerprint: string, decision: Decision, node: unknown) => {
    const line = lineOf(node);
    const first = seen.get(fingerprint);
    if (first !== undefined && first !== line) fail(node, `fingerprint "${fingerprint}" is mapped twice (first on line ${first})`);
    seen.set(fingerprint, line);
    entries.push({ fingerprint, decision, line });
  };
  const checkName = (node: unknown, fingerprint: string, name: string, store: Store | undefined) => {
    if (!name.includes("/")) {
      if (!isValidSegment(name)) fail(node, `${fingerprint}: name "${name}" may only hold letters, digits, "_", "." and "-"`);
      return;
    }
    for (const candidateStore of store ? [store] : (["secretsmanager", "ssm"] as Store[])) {
      const problems = validateName(template, name, candidateStore);
      if (problems.length > 0 && (store || candidateStore === "secretsmanager")) fail(node, `${fingerprint}: name "${name}" is not valid in ${candidateStore}: ${problems[0]}`);
    }
  };

  const targets = field(root, "targets");
  if (targets && isPair(targets)) {
    if (!isSeq(targets.value)) fail(targets.value, "targets: expected a list (a plan saved with --plan-out)");
    for (const target of (targets.value as { items: unknown[] }).items) {
      if (!isMap(target)) return fail(target, "targets: each target is a map");
      const name = (field(target, "name") as { value?: unknown } | undefined)?.value;
      const store = (field(target, "store") as { value?: unknown } | undefined)?.value;
      if (!isScalar(name) || typeof name.value !== "string") return fail(target, "target: `name` is required");
      if (!isScalar(store) || !STORES.includes(String(store.value))) return fail(store ?? target, `target ${String(name.value)}: \`store\` must be secretsmanager or ssm`);
      checkName(name, String(name.value), name.value, store.value as Store);
      const sources = (field(target, "sources") as { value?: unknown } | undefined)?.value;
      if (!isSeq(sources)) return fail(target, `target ${name.value}: \`sources\` must list fingerprints`);
      for (const source of sources.items) {
        const fingerprint = isMap(source) ? (field(source, "fingerprint") as { value?: unknown } | undefined)?.value : undefined;
        if (!isScalar(fingerprint) || typeof fingerprint.value !== "string") return fail(source, `target ${name.value}: each source needs a fingerprint`);
        add(fingerprint.value, { action: "import", name: name.value, store: store.value as Store }, fingerprint);
      }
    }
    const skipped = (field(root, "skipped") as { value?: unknown } | undefined)?.value;
    if (isSeq(skipped)) {
      for (const skip of skipped.items) {
        const fingerprint = isMap(skip) ? (field(skip, "fingerprint") as { value?: unknown } | undefined)?.value : undefined;
        const reason = isMap(skip) ? (field(skip, "reason") as { value?: { value?: unknown } } | undefined)?.value?.value : undefined;
        if (!isScalar(fingerprint) || typeof fingerprint.value !== "string") return fail(skip, "skipped: each entry needs a fingerprint");
        add(fingerprint.value, reason === "allowlisted" ? { action: "allowlist" } : { action: "skip", reason: typeof reason === "string" ? reason : "skipped in the mapping" }, fingerprint);
      }
    }
    return { file, entries };
  }

  for (const pair of root.items) {
    if (!isPair(pair) || !isScalar(pair.key)) continue;
    const key = String(pair.key.value);
    if (key === "version") {
      if (!isScalar(pair.value) || Number(pair.value.value) !== 1) fail(pair.value, "version: only version 1 is known");
    } else if (key !== "mappings") fail(pair.key, `unknown key "${key}" (expected version, mappings)`);
  }
  const mappings = field(root, "mappings");
  if (!mappings || !isPair(mappings)) return fail(root, "`mappings:` is missing");
  if (!isMap(mappings.value)) return fail(mappings.value ?? mappings.key, "mappings: expected a map of fingerprint -> {name, store} | skip");
  for (const pair of mappings.value.items) {
    if (!isPair(pair) || !isScalar(pair.key)) continue;
    const fingerprint = String(pair.key.value);
    const value = pair.value;
    if (isScalar(value) && (value.value === "skip" || value.value === "allowlist")) {
      add(fingerprint, value.value === "skip" ? { action: "skip", reason: "skipped in the mapping" } : { action: "allowlist" }, pair.key);
      continue;
    }
    if (!isMap(value)) return fail(value ?? pair.key, `${fingerprint}: expected {name, store}, {skip: true} or "skip"`);
    let name: string | undefined;
    let store: Store | undefined;
    let skip = false;
    for (const item of value.items) {
      if (!isPair(item) || !isScalar(item.key)) continue;
      const key = String(item.key.value);
      const scalar = isScalar(item.value) ? item.value.value : undefined;
      if (key === "name" && typeof scalar === "string") name = scalar;
      else if (key === "store" && typeof scalar === "string" && STORES.includes(scalar)) store = scalar as Store;
      else if (key === "skip" && typeof scalar === "boolean") skip = scalar;
      else if (["file", "line", "redacted", "comment", "key"].includes(key)) continue;
      else fail(item.value ?? item.key, `${fingerprint}: ${key === "store" ? "store must be secretsmanager or ssm" : `unexpected "${key}" (expected name, store, skip)`}`);
    }
    if (skip) {
      add(fingerprint, { action: "skip", reason: "skipped in the mapping" }, pair.key);
      continue;
    }
    if (name !== undefined) checkName(value, fingerprint, name, store);
    add(fingerprint, { action: "import", ...(name !== undefined ? { name } : {}), ...(store ? { store } : {}) }, pair.key);
  }
  return { file, entries };
}

/**
 * Every fingerprint in the mapping must name a candidate of this run (an unknown one is
 * a typo or a stale file). Candidates the mapping does not mention are skipped: in CI
 * nothing is imported that nobody reviewed.
 */
export function checkMapping(mapping: Mapping, candidates: readonly Candidate[]): Map<string, Decision> {
  const known = new Set(candidates.map((candidate) => candidate.fingerprint));
  const decisions = new Map<string, Decision>();
  for (const entry of mapping.entries) {
    if (!known.has(entry.fingerprint)) throw inputError(`${mapping.file}:${entry.line} fingerprint "${entry.fingerprint}" matches no finding in the sources`);
    decisions.set(entry.fingerprint, entry.decision);
  }
  for (const candidate of candidates) {
    if (!decisions.has(candidate.fingerprint)) decisions.set(candidate.fingerprint, { action: "skip", reason: `not in the mapping ${mapping.file}` });
  }
  return decisions;
}
