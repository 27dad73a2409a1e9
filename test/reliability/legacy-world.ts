/**
 * The world the reliability tests migrate: a config, a legacy directory with one vault
 * script of N `put_ssm_parameter` lines (values from a seeded generator, so a failure can
 * be replayed), and reads of the local endpoint's store that cost no API call.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { seeded } from "../../scripts/local-aws/random.ts";
import type { LocalAws } from "../../scripts/local-aws/index.ts";

export const CONFIG = [
  "org: acme",
  "region: us-east-1",
  "environments: [dev]",
  "kms: { alias: alias/acme-secrets }",
  "state: { bucket: acme-state }",
  "teams: [{ name: payments }]",
  "",
].join("\n");

export interface LegacyWorld {
  dir: string;
  config: string;
  legacy: string;
  state: string;
  journal: string;
  /** Target name -> the value the script pushed. */
  expected: Map<string, string>;
  /** `migrate` arguments for this world (add --apply, --concurrency ...). */
  migrateArgs: string[];
}

export function makeLegacyWorld(count: number, seed: number, app = "load"): LegacyWorld {
  const dir = mkdtempSync(path.join(tmpdir(), "vaultlift-reliability-"));
  const config = path.join(dir, "vaultlift.yaml");
  writeFileSync(config, CONFIG);
  const legacy = path.join(dir, "legacy");
  mkdirSync(legacy);
  const random = seeded(seed);
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  const expected = new Map<string, string>();
  const lines = ["from vault import put_ssm_parameter", ""];
  for (let index = 0; index < count; index += 1) {
    const value = Array.from({ length: 24 }, () => alphabet[Math.floor(random() * alphabet.length)]).join("");
    lines.push(`put_ssm_parameter('/legacy/${app}/secret_${index}', '${value}', value_type='SecureString')`);
    expected.set(`/acme/payments/dev/${app}/secret_${index}`.replace(/_(\d+)$/, "-$1"), value);
  }
  writeFileSync(path.join(legacy, `ssm-${app}.py`), `${lines.join("\n")}\n`);
  const state = path.join(dir, "state");
  const journal = path.join(state, "journal.jsonl");
  const migrateArgs = ["--config", config, "--no-progress", "migrate", legacy, "--team", "payments", "--env", "dev", "--app", app, "--journal", journal];
  return { dir, config, legacy, state, journal, expected, migrateArgs };
}

export interface StoredSecret {
  value: string | undefined;
  versions: number;
}

/** Every secret in the local Secrets Manager with its current value and its number of versions (deprecated ones included), read in-process. */
export function storedSecrets(aws: LocalAws): Map<string, StoredSecret> {
  const sm = aws.stores.secretsManager;
  const ctx = { region: aws.region, now: Date.now() };
  const found = new Map<string, StoredSecret>();
  let token: string | undefined;
  do {
    const page = sm.handle("ListSecrets", { MaxResults: 100, ...(token ? { NextToken: token } : {}) }, ctx) as { SecretList: { Name: string }[]; NextToken?: string };
    for (const { Name } of page.SecretList) {
      const versions = sm.handle("ListSecretVersionIds", { SecretId: Name, IncludeDeprecated: true }, ctx) as { Versions: unknown[] };
      const current = sm.handle("GetSecretValue", { SecretId: Name }, ctx) as { SecretString?: string };
      found.set(Name, { value: current.SecretString, versions: versions.Versions.length });
    }
    token = page.NextToken;
  } while (token);
  return found;
}

/** What is wrong with the store compared with what the script pushed: missing, extra, wrong values, more than one version. At most `limit` lines. */
export function storeProblems(aws: LocalAws, expected: ReadonlyMap<string, string>, limit = 10): string[] {
  const stored = storedSecrets(aws);
  const problems: string[] = [];
  for (const [name, value] of expected) {
    const secret = stored.get(name);
    if (!secret) problems.push(`missing ${name}`);
    else if (secret.value !== value) problems.push(`wrong value in ${name}`);
    else if (secret.versions !== 1) problems.push(`${secret.versions} versions of ${name}`);
  }
  for (const name of stored.keys()) if (!expected.has(name)) problems.push(`unexpected ${name}`);
  return problems.slice(0, limit);
}
