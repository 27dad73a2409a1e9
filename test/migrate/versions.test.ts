import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { CreateBucketCommand, PutBucketVersioningCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { GetSecretValueCommand, ListSecretVersionIdsCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.ts";
import { startLocalAws, type LocalAws } from "../../scripts/local-aws/index.ts";
import { makeWorkspace, s3Client } from "./fixtures.ts";

const OLD = "Old-db-password-2018";
const NEW = "New-db-password-2024";
const WEBHOOK = "whsec_versionedWebhook99";

let aws: LocalAws;
let ws: ReturnType<typeof makeWorkspace>;
let oldVersion: string;

beforeAll(async () => {
  aws = await startLocalAws();
  ws = makeWorkspace();
  const s3 = s3Client(aws);
  const put = async (Key: string, Body: string) => (await s3.send(new PutObjectCommand({ Bucket: "versioned-vault", Key, Body }))).VersionId as string;
  await s3.send(new CreateBucketCommand({ Bucket: "versioned-vault" }));
  await s3.send(new PutBucketVersioningCommand({ Bucket: "versioned-vault", VersioningConfiguration: { Status: "Enabled" } }));
  oldVersion = await put("payments/ssm-db.py", `put_ssm_parameter('/prod/payments/db_password', '${OLD}')\n`);
  await put("payments/ssm-db.py", `put_ssm_parameter('/prod/payments/db_password', '${NEW}')\n`);
  await put("payments/webhook.env", `WEBHOOK_SECRET=${WEBHOOK}\n`);
  s3.destroy();
});

afterAll(async () => {
  await aws?.stop();
});

function migrate(...args: string[]) {
  return runCli(["--config", ws.config, "migrate", "s3://versioned-vault/payments/", "--versions", "--app", "api", "--journal", path.join(ws.state, "journal.jsonl"), "--baseline", ws.baseline, ...args], {
    env: { ...aws.env(), VAULTLIFT_STATE_DIR: ws.state },
  });
}

describe("a vault bucket with an old object version holding a different value", () => {
  it("plans the current value, shows the old one as superseded, and can import it under another name", async () => {
    const planFile = path.join(ws.dir, "versions-plan.json");
    const dry = await migrate("--plan-out", planFile);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toBe("[create] /acme/payments/prod/api/db-password\n[create] /acme/payments/prod/api/webhook_secret\n");
    expect(dry.stderr).toMatch(new RegExp(`\\[skip\\] s3://versioned-vault/payments/ssm-db.py:1 \\(version ${oldVersion}\\) (legacy:[0-9a-f]+): superseded by the current object version`));
    for (const text of [dry.stdout, dry.stderr, readFileSync(planFile, "utf8")]) {
      expect(text).not.toContain(OLD);
      expect(text).not.toContain(NEW);
    }

    // Batch mode: the reviewed plan plus the old version under its own name.
    const plan = JSON.parse(readFileSync(planFile, "utf8")) as { skipped: { fingerprint: string }[] };
    const old = plan.skipped[0]?.fingerprint as string;
    const mapping = path.join(ws.dir, "mapping.yaml");
    const [dbSource, webhookSource] = (JSON.parse(readFileSync(planFile, "utf8")) as { targets: { sources: { fingerprint: string }[] }[] }).targets.map((target) => target.sources[0]?.fingerprint);
    writeFileSync(mapping, `version: 1\nmappings:\n  "${dbSource}": { name: db-password }\n  "${webhookSource}": skip\n  "${old}": { name: db-password-2018, store: ssm }\n`);
    const applied = await migrate("--mapping", mapping, "--apply");
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toBe("[create] /acme/payments/prod/api/db-password\n[create] /acme/payments/prod/api/db-password-2018 (ssm)\n");

    const sm = new SecretsManagerClient({ endpoint: aws.endpoint, region: aws.region, credentials: aws.credentials });
    expect((await sm.send(new GetSecretValueCommand({ SecretId: "/acme/payments/prod/api/db-password" }))).SecretString).toBe(NEW);
    expect((await sm.send(new ListSecretVersionIdsCommand({ SecretId: "/acme/payments/prod/api/db-password" }))).Versions).toHaveLength(1);
    sm.destroy();
    const ssm = new SSMClient({ endpoint: aws.endpoint, region: aws.region, credentials: aws.credentials });
    const parameter = await ssm.send(new GetParameterCommand({ Name: "/acme/payments/prod/api/db-password-2018", WithDecryption: true }));
    expect(parameter.Parameter).toMatchObject({ Value: OLD, Type: "SecureString", Version: 1 });
    ssm.destroy();
    expect(applied.stderr).not.toContain(OLD);
    expect(aws.counters.get("s3.ListObjectVersions")).toBeGreaterThan(0);
  });
});
