/**
 * The estate the remediation tests run on: two repositories with history (a value only in
 * history, a value committed, a value reused across both, an untracked .env) and a
 * versioned vault bucket (an older object version). Values are made up and only live here.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { CreateBucketCommand, PutBucketVersioningCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import type { LocalAws } from "../../scripts/local-aws/index.ts";
import { CONFIG, s3Client } from "../migrate/fixtures.ts";

export const VALUES = {
  db: "Pg-Payments-pa55-2021x",
  stripe: "sk_live_51Remediate7hQ2xLmN3oPq",
  api: "Zx9vB2nQ7mW4kL8pR1tY6uH3",
  tf: "tf-literal-Secret-88ab31",
  oldToken: "Hq3Lm8Zr2Xw9Vb6Nt4Ks1Pd7",
  search: "algolia-admin-remediate-5d4c",
  redis: "redis://:rem3dis-pass@cache.internal:6379/0",
  webhook: "whsec_remediateWebhook91",
  jsSecret: "Tq8vX2mN6bL4kJ9pW3rZ7yH1",
  dbJson: "Json-Db-pa55-Remediate-64",
} as const;

export interface Estate {
  dir: string;
  config: string;
  state: string;
  api: string;
  worker: string;
  bucket: string;
}

function git(cwd: string, ...args: string[]): void {
  execFileSync("git", ["-c", "user.name=dev", "-c", "user.email=dev@example.com", "-c", "commit.gpgsign=false", ...args], { cwd, stdio: "ignore" });
}

export function write(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

export async function buildEstate(aws: LocalAws): Promise<Estate> {
  const dir = mkdtempSync(path.join(tmpdir(), "vaultlift-remediate-"));
  const config = path.join(dir, "vaultlift.yaml");
  writeFileSync(config, CONFIG);

  const api = path.join(dir, "payments-api");
  mkdirSync(api);
  git(api, "init", "-q", "-b", "main");
  write(path.join(api, "old.env"), `OLD_SERVICE_TOKEN=${VALUES.oldToken}\n`);
  write(path.join(api, "README.md"), "payments api\n");
  git(api, "add", ".");
  git(api, "commit", "-qm", "first");
  rmSync(path.join(api, "old.env"));
  write(path.join(api, "app.py"), ["import boto3", "", `API_KEY = "${VALUES.api}"`, "", "def client():", "    return API_KEY", ""].join("\r\n"));
  chmodSync(path.join(api, "app.py"), 0o755);
  write(path.join(api, "src", "client.ts"), `export const apiSecret = "${VALUES.jsSecret}";\n`);
  write(
    path.join(api, "infra", "main.tf"),
    ['resource "aws_ssm_parameter" "tf_key" {', '  name  = "/prod/payments/tf_key"', '  type  = "SecureString"', `  value = "${VALUES.tf}"`, "}", ""].join("\n"),
  );
  write(
    path.join(api, "infra", "db.tf"),
    [
      'resource "aws_secretsmanager_secret_version" "billing_db" {',
      "  secret_id     = aws_secretsmanager_secret.billing_db.id",
      `  secret_string = jsonencode({ username = "billing", password = "${VALUES.dbJson}" })`,
      "}",
      "",
    ].join("\n"),
  );
  git(api, "add", "-A");
  git(api, "commit", "-qm", "app and infra");
  // Never committed: only the working tree holds these.
  write(path.join(api, ".env"), `DB_PASSWORD=${VALUES.db}\nSTRIPE_KEY="${VALUES.stripe}"\nLOG_LEVEL=info\n`);

  const worker = path.join(dir, "billing-worker");
  mkdirSync(worker);
  git(worker, "init", "-q", "-b", "main");
  write(path.join(worker, "run.sh"), `#!/bin/sh\nexport STRIPE_KEY='${VALUES.stripe}'\nexec ./worker\n`);
  git(worker, "add", ".");
  git(worker, "commit", "-qm", "worker");

  const bucket = "remediate-vault";
  const s3 = s3Client(aws);
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: "Enabled" } }));
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "payments/search.env", Body: `SEARCH_ADMIN_KEY=${VALUES.search}\n` }));
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "payments/search.env", Body: `SEARCH_ADMIN_KEY=${VALUES.search}\nREDIS_URL=${VALUES.redis}\n` }));
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "payments/ssm-webhook.py", Body: `put_ssm_parameter('/prod/payments/webhook_secret', '${VALUES.webhook}', value_type='SecureString')\n` }));
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "payments/README.md", Body: "run the scripts\n" }));
  s3.destroy();
  return { dir, config, state: path.join(dir, "state"), api, worker, bucket };
}
