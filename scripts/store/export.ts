/**
 * Secrets as a file: `secrets export` writes the values under a prefix as dotenv, JSON or
 * YAML; `secrets import` (migrate/import.ts) reads the same files back. JSON and YAML keys
 * are names relative to the prefix, so they round-trip exactly; dotenv keys are the
 * variables `vaultlift exec --prefix` sets (`db-password` -> `DB_PASSWORD`).
 */
import { createRequire } from "node:module";
import type * as Yaml from "yaml";
import path from "node:path";
import { inputError } from "../../core/errors.ts";
import { variableFor } from "../exec/reference.ts";
import { checkOutputFile, writePrivateFile } from "../migrate/state.ts";
import { gitWorkTreeOf, readValues } from "./dump.ts";
import { listAll } from "./index.ts";
import type { SecretStore, SecretSummary, SecretValue } from "./types.ts";

export const EXPORT_FORMATS = ["dotenv", "json", "yaml"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The name below the prefix: `/acme/pay/prod/api/` + `db-password`. */
export function relativeName(prefix: string, name: string): string {
  return name.startsWith(prefix) ? name.slice(prefix.length).replace(/^\/+/, "") : name;
}

export function formatExport(values: readonly SecretValue[], prefix: string, format: ExportFormat): string {
  const sorted = [...values].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (format === "dotenv") {
    const seen = new Map<string, string>();
    const lines = sorted.map((value) => {
      const key = variableFor(value.name);
      const clash = seen.get(key);
      if (clash) throw inputError(`"${clash}" and "${value.name}" both map to ${key}: export them as json or yaml`);
      seen.set(key, value.name);
      return `${key}="${value.value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n").replace(/\r/g, "\\r").replace(/\t/g, "\\t")}"`;
    });
    return lines.length > 0 ? `${lines.join("\n")}\n` : "";
  }
  const object = Object.fromEntries(sorted.map((value) => [relativeName(prefix, value.name), value.value]));
  return format === "json" ? `${JSON.stringify(object, null, 2)}\n` : yaml().stringify(object);
}

export interface ExportRequest {
  prefix: string;
  format: ExportFormat;
  /** A file (written 0600); undefined means the text is returned for a pipe. */
  out?: string;
  /** Allow `out` inside a git work tree. */
  force?: boolean;
}

/** Reads every value under the prefix (batched) and writes or returns the export; checks come before any read. */
export async function exportSecrets(stores: readonly SecretStore[], request: ExportRequest): Promise<{ text?: string; count: number; missing: SecretSummary[] }> {
  if (request.prefix.replace(/\/+/g, "") === "") throw inputError(`--prefix "${request.prefix}" would match every secret: name a narrower prefix`);
  const repo = request.out !== undefined ? gitWorkTreeOf(path.dirname(path.resolve(request.out))) : undefined;
  if (repo && !request.force) throw inputError(`${request.out} is inside the git work tree ${repo}: values there are one \`git add\` away from a commit; choose another FILE or pass --force`);
  if (request.out !== undefined) checkOutputFile(request.out, "output file");
  const { values, missing } = await readValues(stores, await listAll(stores, { prefix: request.prefix }));
  const text = formatExport(values, request.prefix, request.format);
  if (request.out === undefined) return { text, count: values.length, missing };
  writePrivateFile(request.out, text);
  return { count: values.length, missing };
}

/** The YAML writer, loaded only for `--format yaml`. */
function yaml(): typeof Yaml {
  return createRequire(import.meta.url)("yaml") as typeof Yaml;
}
