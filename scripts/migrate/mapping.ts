/**
 * Mapping files: the batch mode for CI. A mapping says, per source fingerprint, which
 * name and store a candidate gets, or that it is skipped. YAML or JSON:
 *
 *   version: 1
 *   mappings:
 *     "legacy:3f2a...": { name: /acme/payments/prod/api/db-password, store: ssm }
 *     "legacy:9c1b...": { name: stripe-key }      # a leaf, rendered under the template
 *     "generic-api-key:...": skip
 *     "legacy:77d0...": { name: billing-db, format: database-json }   # {"engine","host",...} from the URI
 *     "legacy:5e4b...": { name: color, store: ssm, type: String }
 *     "legacy:a1c9...": { separate: true }   # one secret per app instead of the shared one
 *
 * A plan saved with `--plan-out` is a mapping too: each target's sources map to its name,
 * store, type and format, skipped candidates stay skipped, and each target's value hash is
 * the reviewed one: a value that differs when the plan is applied is refused.
 */
import { readFileSync } from "node:fs";
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node, type YAMLMap } from "yaml";
import { inputError } from "../../core/errors.ts";
import { isValidSegment, validateName, type Store, type Template } from "../../core/naming.ts";
import type { Candidate } from "./candidate.ts";
import type { Decision, ValueFormat } from "./plan.ts";
import type { ParameterType } from "./legacy.ts";

export interface MappingEntry {
  fingerprint: string;
  decision: Decision;
  line: number;
}

export interface Mapping {
  file: string;
  entries: MappingEntry[];
  /** A saved plan: the key id its value hashes were made with. */
  hashKeyId?: string;
}

const STORES: readonly string[] = ["secretsmanager", "ssm"];
const TYPES: readonly string[] = ["String", "StringList", "SecureString"];
const FORMATS: readonly string[] = ["whole", "database-json"];

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
      const scalarField = (key: string) => {
        const node = (field(target, key) as { value?: unknown } | undefined)?.value;
        return isScalar(node) && typeof node.value === "string" ? node.value : undefined;
      };
      const valueHash = scalarField("valueHash");
      const type = scalarField("type");
      const format = scalarField("format");
      if (type !== undefined && !TYPES.includes(type)) fail(field(target, "type"), `target ${name.value}: \`type\` must be String, StringList or SecureString`);
      if (format !== undefined && !FORMATS.includes(format)) fail(field(target, "format"), `target ${name.value}: \`format\` must be whole or database-json`);
      const sources = (field(target, "sources") as { value?: unknown } | undefined)?.value;
      if (!isSeq(sources)) return fail(target, `target ${name.value}: \`sources\` must list fingerprints`);
      for (const source of sources.items) {
        const fingerprint = isMap(source) ? (field(source, "fingerprint") as { value?: unknown } | undefined)?.value : undefined;
        if (!isScalar(fingerprint) || typeof fingerprint.value !== "string") return fail(source, `target ${name.value}: each source needs a fingerprint`);
        add(
          fingerprint.value,
          {
            action: "import",
            name: name.value,
            store: store.value as Store,
            ...(type ? { type: type as ParameterType } : {}),
            ...(format ? { format: format as ValueFormat } : {}),
            ...(valueHash ? { reviewedHash: valueHash } : {}),
          },
          fingerprint,
        );
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
    const hashKeyId = (field(root, "hashKeyId") as { value?: { value?: unknown } } | undefined)?.value?.value;
    return { file, entries, ...(typeof hashKeyId === "string" ? { hashKeyId } : {}) };
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
    let type: ParameterType | undefined;
    let format: ValueFormat | undefined;
    let separate = false;
    let skip = false;
    for (const item of value.items) {
      if (!isPair(item) || !isScalar(item.key)) continue;
      const key = String(item.key.value);
      const scalar = isScalar(item.value) ? item.value.value : undefined;
      if (key === "name" && typeof scalar === "string") name = scalar;
      else if (key === "store" && typeof scalar === "string" && STORES.includes(scalar)) store = scalar as Store;
      else if (key === "skip" && typeof scalar === "boolean") skip = scalar;
      else if (key === "type" && typeof scalar === "string" && TYPES.includes(scalar)) type = scalar as ParameterType;
      else if (key === "format" && typeof scalar === "string" && FORMATS.includes(scalar)) format = scalar as ValueFormat;
      else if (key === "separate" && typeof scalar === "boolean") separate = scalar;
      else if (["file", "line", "redacted", "comment", "key"].includes(key)) continue;
      else {
        const why: Record<string, string> = {
          store: "store must be secretsmanager or ssm",
          type: "type must be String, StringList or SecureString",
          format: "format must be whole or database-json",
          separate: "separate must be true or false",
        };
        fail(item.value ?? item.key, `${fingerprint}: ${why[key] ?? `unexpected "${key}" (expected name, store, type, format, separate, skip)`}`);
      }
    }
    if (skip) {
      add(fingerprint, { action: "skip", reason: "skipped in the mapping" }, pair.key);
      continue;
    }
    if (name !== undefined) checkName(value, fingerprint, name, store);
    add(
      fingerprint,
      { action: "import", ...(name !== undefined ? { name } : {}), ...(store ? { store } : {}), ...(type ? { type } : {}), ...(format ? { format } : {}), ...(separate ? { separate } : {}) },
      pair.key,
    );
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
