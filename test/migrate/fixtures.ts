/**
 * Builds the legacy world the migration tests run against: a small repository with a
 * Python vault script and Terraform literals, a vault bucket with scripts, .env, JSON
 * and YAML objects, and a test config. Values are made up and only live here.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import type { LocalAws } from "../../scripts/local-aws/index.ts";

export const VALUES = {
  dbPassword: "Legacy-DB-pa55word-2019",
  apiKey: "ak_live_51HxYzLegacyKey",
  stripe: "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
  searchAdmin: "algolia-admin-9f8e7d6c5b4a",
  redisUrl: "redis://:r3dis-pass@cache.internal:6379/0",
  webhook: "whsec_legacyWebhookSecret42",
} as const;

export const CONFIG = [
  "org: acme",
  "region: us-east-1",
  "environments: [prod]",
  "kms: { alias: alias/acme-secrets }",
  "state: { bucket: acme-state }",
  "teams: [{ name: payments }]",
  "migrate: { concurrency: 4 }",
  "",
].join("\n");

/** A temporary directory with the config, a legacy repository and a state directory. */
export function makeWorkspace(): { dir: string; config: string; repo: string; state: string; baseline: string } {
  const dir = mkdtempSync(path.join(tmpdir(), "vaultlift-migrate-"));
  const config = path.join(dir, "vaultlift.yaml");
  writeFileSync(config, CONFIG);
  const repo = path.join(dir, "legacy-repo");
  mkdirSync(path.join(repo, "infra"), { recursive: true });
  writeFileSync(
    path.join(repo, "ssm-payments.py"),
    [
      "import boto3",
      "ssm = boto3.client('ssm')",
      "",
      `ssm.put_parameter(Name='/prod/payments/db_password', Value='${VALUES.dbPassword}', Type='SecureString', Overwrite=True)`,
      "",
    ].join("\n"),
  );
  writeFileSync(
    path.join(repo, "infra", "secrets.tf"),
    [
      'resource "aws_ssm_parameter" "api_key" {',
      '  name  = "/prod/payments/api_key"',
      '  type  = "SecureString"',
      `  value = "${VALUES.apiKey}"`,
      "}",
      "",
    ].join("\n"),
  );
  return { dir, config, repo, state: path.join(dir, "state"), baseline: path.join(dir, "baseline.json") };
}

export function s3Client(aws: LocalAws): S3Client {
  return new S3Client({ endpoint: aws.endpoint, region: aws.region, credentials: aws.credentials, forcePathStyle: true });
}

/** The vault bucket: a push script, a .env, a JSON and a YAML file; the stripe key appears twice. */
export async function seedVaultBucket(aws: LocalAws, bucket: string): Promise<void> {
  const s3 = s3Client(aws);
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const objects: Record<string, string> = {
    "payments/ssm-stripe.py": `put_ssm_parameter('/prod/payments/stripe_key', '${VALUES.stripe}', value_type='SecureString')\n`,
    "payments/app.env": `STRIPE_KEY=${VALUES.stripe}\nWEBHOOK_SECRET=${VALUES.webhook}\n`,
    "payments/cache.json": JSON.stringify({ redis: { url: VALUES.redisUrl } }, null, 2),
    "payments/search.yaml": `search:\n  admin_key: ${VALUES.searchAdmin}\n`,
    "payments/README.md": "How to push secrets: run the scripts.\n",
  };
  for (const [key, body] of Object.entries(objects)) await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
  s3.destroy();
}

/** A bucket of `count` .env entries, for the crash-and-resume test. */
export async function seedBulkBucket(aws: LocalAws, bucket: string, count: number): Promise<Record<string, string>> {
  const s3 = s3Client(aws);
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const values: Record<string, string> = {};
  for (let index = 0; index < count; index += 1) values[`SECRET_${String(index).padStart(2, "0")}`] = `bulk-value-${index}-${"x".repeat(12)}`;
  const body = Object.entries(values).map(([key, value]) => `${key}=${value}`).join("\n");
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "bulk/all.env", Body: body }));
  s3.destroy();
  return values;
}
