/**
 * The remediation plan: one action per location of a migrated value, and one `rotate`
 * per exposed secret, including the values migrate left out because they were exposed. Pure: evidence in, plan out. It names secrets, files, commits and
 * object versions, never a value.
 */
import type { ResolvedSecret } from "../../core/config.ts";
import { isImported, type Evidence, type MigratedSecret, type WorkingTreeHit } from "./evidence.ts";
import { replacementFor } from "./references.ts";

export type RemediationKind = "replace" | "rotate" | "purge-history" | "delete-object-version";

export interface RemediationAction {
  action: RemediationKind;
  secret: string;
  store: MigratedSecret["store"];
  /** `file:line`, `file:line (commit abc1234567)`, `s3://bucket/key (version v)`; for rotate, where it was exposed. */
  location: string;
  /** The reference to write, why and how to rotate, or what deleting means. */
  detail: string;
}

export interface Refusal {
  location: string;
  reason: string;
}

export interface RemediationPlan {
  actions: RemediationAction[];
  /** Object versions left alone because they hold values that were not migrated. */
  refused: Refusal[];
  /** Working-tree hits to rewrite, with their targets. */
  replacements: { hit: WorkingTreeHit; target: MigratedSecret }[];
  deletions: { bucket: string; key: string; versionId?: string }[];
}

const ORDER: Record<RemediationKind, number> = { replace: 0, "delete-object-version": 1, "purge-history": 2, rotate: 3 };

export function planRemediation(evidence: Evidence, migrated: ReadonlyMap<string, readonly MigratedSecret[]>, declared: readonly ResolvedSecret[] = []): RemediationPlan {
  const plan: RemediationPlan = { actions: [], refused: [], replacements: [], deletions: [] };
  const targetOf = (hash: string) => (migrated.get(hash) ?? [])[0] as MigratedSecret;
  const exposure = new Map<string, Set<string>>();
  const places = new Map<string, Set<string>>();
  const expose = (hash: string, why: string) => exposure.set(hash, (exposure.get(hash) ?? new Set()).add(why));
  const seenIn = (hash: string, root: string) => places.set(hash, (places.get(hash) ?? new Set()).add(root));

  for (const hit of evidence.workingTree) {
    const target = targetOf(hit.valueHash);
    seenIn(hit.valueHash, hit.root);
    plan.replacements.push({ hit, target });
    const detail = hit.kind === "kubernetes" ? `ExternalSecret manifest (External Secrets Operator) with remoteRef ${target.name}` : replacementFor(hit.kind, target, { quoted: true, ...(hit.field ? { field: hit.field } : {}) }).describe;
    plan.actions.push({ action: "replace", secret: target.name, store: target.store, location: `${hit.file}:${hit.line}`, detail });
    if (hit.committed) expose(hit.valueHash, `committed in ${hit.file}`);
  }
  for (const hit of evidence.history) {
    const target = targetOf(hit.valueHash);
    seenIn(hit.valueHash, hit.root);
    plan.actions.push({
      action: "purge-history",
      secret: target.name,
      store: target.store,
      location: `${hit.file}:${hit.line} (commit ${hit.commit.slice(0, 10)})`,
      detail: `in the git history of ${hit.root}: rewrite it with --purge-file`,
    });
    const only = target.notImported ? "only " : "";
    expose(hit.valueHash, `${only}in git history (${hit.file}, commit ${hit.commit.slice(0, 10)})`);
  }
  for (const version of evidence.vault) {
    const where = `s3://${version.bucket}/${version.key}${version.versionId ? ` (version ${version.versionId}${version.isLatest ? ", current" : ""})` : ""}`;
    for (const hash of version.migrated) {
      seenIn(hash, version.root);
      if (!version.isLatest) expose(hash, `in an older object version (s3://${version.bucket}/${version.key})`);
    }
    for (const hash of version.exposed) {
      seenIn(hash, version.root);
      expose(hash, version.isLatest ? `in s3://${version.bucket}/${version.key}` : `only in an older object version (s3://${version.bucket}/${version.key})`);
    }
    if (version.migrated.length === 0) continue;
    if (version.unmigrated.length > 0) {
      const exposed = version.exposed.length > 0 ? ` (${version.exposed.length} left out as exposed: rotate them first)` : "";
      plan.refused.push({
        location: where,
        reason: `also holds ${version.unmigrated.length} value(s) that were not migrated${exposed}: migrate them (vaultlift migrate ${version.root} --versions) or delete this version by hand`,
      });
      continue;
    }
    plan.deletions.push({ bucket: version.bucket, key: version.key, ...(version.versionId ? { versionId: version.versionId } : {}) });
    for (const hash of version.migrated) {
      const target = targetOf(hash);
      plan.actions.push({ action: "delete-object-version", secret: target.name, store: target.store, location: where, detail: "holds only migrated values: deleted with --apply" });
    }
  }
  for (const [hash, roots] of places) {
    const names = (migrated.get(hash) ?? []).filter((secret) => secret.notImported === undefined);
    if (roots.size > 1) expose(hash, `used in ${roots.size} places (${[...roots].join(", ")})`);
    if (names.length > 1) expose(hash, `migrated under ${names.length} names (${names.map((secret) => secret.name).join(", ")})`);
  }
  for (const [hash, reasons] of exposure) {
    const target = targetOf(hash);
    const random = declared.find((secret) => secret.fullName === target.name && secret.kind === "random");
    const how = !isImported(migrated.get(hash))
      ? `never imported (left out by migrate): issue a new value at the provider and revoke this one; if it is still needed, store the new one with \`vaultlift secrets create ${target.name}${target.store === "ssm" ? " --store ssm" : ""} --value-stdin\``
      : random
      ? `bump secrets[${random.name}].random.version in the config and run cdktf deploy`
      : `issue a new value at the provider, revoke the old one, then \`vaultlift secrets update ${target.name} --value-stdin\``;
    plan.actions.push({ action: "rotate", secret: target.name, store: target.store, location: [...reasons].join("; "), detail: `exposed: ${how}` });
  }
  plan.actions.sort((a, b) => (a.secret < b.secret ? -1 : a.secret > b.secret ? 1 : ORDER[a.action] - ORDER[b.action] || a.location.localeCompare(b.location)));
  return plan;
}

export type RemediationFormat = "table" | "json" | "markdown";

export function formatRemediation(plan: RemediationPlan, format: RemediationFormat): string {
  if (format === "json") {
    return `${JSON.stringify({ actions: plan.actions, refused: plan.refused, summary: summarise(plan) }, null, 2)}\n`;
  }
  const header = ["ACTION", "SECRET", "LOCATION", "DETAIL"];
  const rows = plan.actions.map((action) => [action.action, action.secret, action.location, action.detail]);
  const lines: string[] = [];
  if (format === "markdown") {
    const cell = (text: string) => text.replace(/\|/g, "\\|");
    lines.push(`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`, ...rows.map((row) => `| ${row.map(cell).join(" | ")} |`));
    if (plan.refused.length > 0) lines.push("", "**Left alone:**", ...plan.refused.map((refusal) => `- ${refusal.location}: ${refusal.reason}`));
  } else {
    const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)));
    for (const row of [header, ...rows]) lines.push(row.map((text, column) => (column === row.length - 1 ? text : text.padEnd(widths[column] ?? 0))).join("  "));
    for (const refusal of plan.refused) lines.push(`left alone: ${refusal.location}: ${refusal.reason}`);
  }
  const summary = summarise(plan);
  lines.push("", `${summary.replace} to replace, ${summary.rotate} to rotate, ${summary.purgeHistory} in git history, ${summary.deleteObjectVersion} object versions to delete, ${summary.refused} left alone`);
  return `${lines.join("\n")}\n`;
}

export function summarise(plan: RemediationPlan) {
  const count = (kind: RemediationKind) => plan.actions.filter((action) => action.action === kind).length;
  return { replace: count("replace"), rotate: count("rotate"), purgeHistory: count("purge-history"), deleteObjectVersion: plan.deletions.length, refused: plan.refused.length };
}
