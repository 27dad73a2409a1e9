import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { GetSecretValueCommand, ListSecretVersionIdsCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.ts";
import { startLocalAws, type LocalAws } from "../local-aws/index.ts";
import { makeWorkspace } from "./fixtures.ts";
import { startVersionedBucket, type VersionedBucket } from "./versioned-s3.ts";

const OLD = "Old-db-password-2018";
const NEW = "New-db-password-2024";
const WEBHOOK = "whsec_versionedWebhook99";

let aws: LocalAws;
let bucket: VersionedBucket;
let ws: ReturnType<typeof makeWorkspace>;
let oldVersion: string;

beforeAll(async () => {
  aws = await startLocalAws();
  bucket = await startVersionedBucket("versioned-vault", aws.endpoint);
  ws = makeWorkspace();
  oldVersion = bucket.put("payments/ssm-db.py", `put_ssm_parameter('/prod/payments/db_password', '${OLD}')\n`);
  bucket.put("payments/ssm-db.py", `put_ssm_parameter('/prod/payments/db_password', '${NEW}')\n`);
  bucket.put("payments/webhook.env", `WEBHOOK_SECRET=${WEBHOOK}\n`);
});

afterAll(async () => {
  await bucket?.stop();
  await aws?.stop();
});

function migrate(...args: string[]) {
  return runCli(["--config", ws.config, "migrate", "s3://versioned-vault/payments/", "--versions", "--app", "api", "--journal", path.join(ws.state, "journal.jsonl"), "--baseline", ws.baseline, ...args], {
    env: { ...aws.env(), AWS_ENDPOINT_URL: bucket.endpoint, VAULTLIFT_STATE_DIR: ws.state },
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
    expect(oldVersion).toMatch(/^[0-9a-f]{32}$/);
  });
});
