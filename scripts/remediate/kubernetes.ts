/**
 * A Kubernetes `Secret` manifest with migrated values becomes an External Secrets Operator
 * `ExternalSecret` that makes the same Secret from the store; keys that were not migrated
 * stay in the original manifest.
 */
import { isMap, isScalar, parseAllDocuments, stringify } from "yaml";
import type { MigratedSecret, WorkingTreeHit } from "./evidence.ts";

/** The SecretStore names the manifests point at; the platform team creates them once (see docs/migrate.md). */
export const EXTERNAL_SECRET_STORES = { secretsmanager: "aws-secrets-manager", ssm: "aws-parameter-store" } as const;

export function rewriteKubernetes(text: string, list: readonly { hit: WorkingTreeHit; target: MigratedSecret }[], values: ReadonlyMap<string, string>): string {
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  const targets = new Map<string, MigratedSecret>();
  for (const { hit, target } of list) {
    const value = values.get(hit.field ? `${hit.valueHash}#${hit.field}` : hit.valueHash);
    if (value !== undefined) targets.set(value, target);
  }
  const out: string[] = [];
  for (const doc of parseAllDocuments(text.replace(/\r\n/g, "\n"))) {
    const json = doc.toJS() as { kind?: string; metadata?: { name?: string; namespace?: string }; data?: Record<string, string>; stringData?: Record<string, string> } | null;
    if (!json || json.kind !== "Secret") {
      out.push(doc.toString().trimEnd());
      continue;
    }
    const moved: { secretKey: string; target: MigratedSecret }[] = [];
    for (const section of ["data", "stringData"] as const) {
      const node = doc.get(section);
      if (!isMap(node)) continue;
      for (const pair of [...node.items]) {
        const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
        const raw = isScalar(pair.value) ? String(pair.value.value) : undefined;
        if (key === undefined || raw === undefined) continue;
        const value = section === "data" ? Buffer.from(raw, "base64").toString("utf8") : raw;
        const target = targets.get(value) ?? targets.get(raw);
        if (!target) continue;
        moved.push({ secretKey: key, target });
        node.delete(pair.key);
      }
      if (node.items.length === 0) doc.delete(section);
    }
    if (moved.length === 0) {
      out.push(doc.toString().trimEnd());
      continue;
    }
    const remaining = ["data", "stringData"].some((section) => doc.has(section));
    if (remaining) out.push(doc.toString().trimEnd());
    const name = json.metadata?.name ?? "app-secrets";
    for (const store of ["secretsmanager", "ssm"] as const) {
      const mine = moved.filter((entry) => entry.target.store === store);
      if (mine.length === 0) continue;
      const manifest = {
        apiVersion: "external-secrets.io/v1beta1",
        kind: "ExternalSecret",
        metadata: { name: store === "ssm" && moved.length > mine.length ? `${name}-ssm` : name, ...(json.metadata?.namespace ? { namespace: json.metadata.namespace } : {}) },
        spec: {
          refreshInterval: "1h",
          secretStoreRef: { kind: "ClusterSecretStore", name: EXTERNAL_SECRET_STORES[store] },
          target: { name, creationPolicy: remaining || store === "ssm" ? "Merge" : "Owner" },
          data: mine.map((entry) => ({ secretKey: entry.secretKey, remoteRef: { key: entry.target.name } })),
        },
      };
      out.push(stringify(manifest).trimEnd());
    }
  }
  return `${out.join("\n---\n")}\n`.split("\n").join(eol);
}
