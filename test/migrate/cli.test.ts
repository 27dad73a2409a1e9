import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { GetSecretValueCommand, ListSecretVersionIdsCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.ts";
import { startLocalAws, type LocalAws } from "../../scripts/local-aws/index.ts";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { makeWorkspace, s3Client, seedVaultBucket, VALUES } from "./fixtures.ts";


let aws: LocalAws;
let ws: ReturnType<typeof makeWorkspace>;

beforeAll(async () => {
  aws = await startLocalAws();
  ws = makeWorkspace();
  await seedVaultBucket(aws, "legacy-vault");
});

afterAll(async () => {
  await aws?.stop();
});

function migrate(...args: string[]) {
  return runCli(["--config", ws.config, "migrate", ...args, "--journal", path.join(ws.state, "journal.jsonl"), "--baseline", ws.baseline], {
    env: { ...aws.env(), VAULTLIFT_STATE_DIR: ws.state },
  });
}

const writes = () => aws.counters.writes();
const allValues = Object.values(VALUES);
const expectNoValues = (text: string) => {
  for (const value of allValues) expect(text).not.toContain(value);
};

const EXPECTED = [
  "[create] /acme/payments/prod/api/api-key",
  "[create] /acme/payments/prod/api/db-password",
  "[create] /acme/payments/prod/api/redis-url",
  "[create] /acme/payments/prod/api/search-admin-key",
  "[create] /acme/payments/prod/api/stripe-key",
  "[create] /acme/payments/prod/api/webhook_secret",
];
const lastLine = (text: string) => text.trim().split("\n").at(-1);

describe("vaultlift migrate against the local endpoint", () => {
  it("dry run: one line per target, no values, no writes", async () => {
    aws.counters.reset();
    const result = await migrate(ws.repo, "s3://legacy-vault/payments/", "--app", "api");
    expect(result.stderr).toContain("dry run:");
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trim().split("\n");
    for (const line of EXPECTED) expect(lines, result.stdout + result.stderr).toContain(line);
    expectNoValues(result.stdout + result.stderr);
    expect(writes()).toBe(0);
  });

  it("--apply writes each value once, verified, with a 0600 plan and journal that hold no values", async () => {
    aws.counters.reset();
    const planFile = path.join(ws.dir, "plan.json");
    const result = await migrate(ws.repo, "s3://legacy-vault/payments/", "--app", "api", "--apply", "--plan-out", planFile);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/failed 0/);
    expect(result.stderr).toMatch(/API calls: \d+ calls \(/);
    expectNoValues(result.stdout + result.stderr + readFileSync(planFile, "utf8") + readFileSync(path.join(ws.state, "journal.jsonl"), "utf8"));
    expect(statSync(planFile).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(ws.state, "journal.jsonl")).mode & 0o777).toBe(0o600);
    const sm = new SecretsManagerClient({ endpoint: aws.endpoint, region: aws.region, credentials: aws.credentials });
    const stripe = await sm.send(new GetSecretValueCommand({ SecretId: "/acme/payments/prod/api/stripe-key" }));
    expect(stripe.SecretString).toBe(VALUES.stripe);
    const versions = await sm.send(new ListSecretVersionIdsCommand({ SecretId: "/acme/payments/prod/api/stripe-key" }));
    expect(versions.Versions).toHaveLength(1);
    sm.destroy();
  });

  it("a re-run of the same plan shows [no change] everywhere and makes zero write calls", async () => {
    aws.counters.reset();
    const result = await migrate(ws.repo, "s3://legacy-vault/payments/", "--app", "api", "--apply");
    expect(result.code, result.stderr).toBe(0);
    for (const line of EXPECTED) expect(result.stdout).toContain(line.replace("[create]", "[no change]"));
    expect(result.stdout).not.toMatch(/\[(create|modified)\]/);
    expect(writes()).toBe(0);
    expect(aws.counters.get("secretsmanager.BatchGetSecretValue")).toBe(1);
    expect(result.stderr).toContain("secretsmanager.BatchGetSecretValue 1");
  });

  it("a value changed at the source is [modified]: one new version, the old one kept as AWSPREVIOUS", async () => {
    const s3 = s3Client(aws);
    await s3.send(new PutObjectCommand({ Bucket: "legacy-vault", Key: "payments/search.yaml", Body: "search:\n  admin_key: algolia-admin-rotated-2025\n" }));
    s3.destroy();
    aws.counters.reset();
    const result = await migrate(ws.repo, "s3://legacy-vault/payments/", "--app", "api", "--apply");
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("[modified] /acme/payments/prod/api/search-admin-key\n");
    expect(result.stdout.match(/\[no change\]/g)).toHaveLength(5);
    expect(result.stderr).toMatch(/created 0, modified 1, unchanged 5, verified 1, failed 0/);
    expect(aws.counters.get("secretsmanager.PutSecretValue")).toBe(1);
    expect(aws.counters.get("secretsmanager.CreateSecret")).toBe(0);
    expect(result.stdout + result.stderr).not.toContain("algolia-admin-rotated-2025");
    const sm = new SecretsManagerClient({ endpoint: aws.endpoint, region: aws.region, credentials: aws.credentials });
    const versions = await sm.send(new ListSecretVersionIdsCommand({ SecretId: "/acme/payments/prod/api/search-admin-key" }));
    expect(versions.Versions?.map((version) => version.VersionStages?.[0]).sort()).toEqual(["AWSCURRENT", "AWSPREVIOUS"]);
    expect((await sm.send(new GetSecretValueCommand({ SecretId: "/acme/payments/prod/api/search-admin-key", VersionStage: "AWSPREVIOUS" }))).SecretString).toBe(VALUES.searchAdmin);
    sm.destroy();
    // Put it back, so later tests see the original fixture.
    const restore = s3Client(aws);
    await restore.send(new PutObjectCommand({ Bucket: "legacy-vault", Key: "payments/search.yaml", Body: `search:\n  admin_key: ${VALUES.searchAdmin}\n` }));
    restore.destroy();
  });

  it("batch mode: a saved plan is a mapping file; an unknown fingerprint is exit 2 naming file and line", async () => {
    const planFile = path.join(ws.dir, "plan.json");
    const ok = await migrate(ws.repo, "s3://legacy-vault/payments/", "--app", "api", "--mapping", planFile);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).not.toContain("[create]");
    const text = readFileSync(planFile, "utf8").replace(/"fingerprint": "legacy:[0-9a-f]+"/, '"fingerprint": "legacy:000000000000000000000000"');
    const bad = path.join(ws.dir, "bad-plan.json");
    writeFileSync(bad, text);
    const line = text.split("\n").findIndex((row) => row.includes("legacy:000000000000000000000000")) + 1;
    aws.counters.reset();
    const result = await migrate(ws.repo, "s3://legacy-vault/payments/", "--app", "api", "--mapping", bad, "--apply");
    expect(result.code).toBe(2);
    expect(lastLine(result.stderr)).toBe(`vaultlift: ${bad}:${line} fingerprint "legacy:000000000000000000000000" matches no finding in the sources`);
    expect(writes()).toBe(0);
  });

  it("bad input: a missing bucket and a missing --app are exit 2, nothing written", async () => {
    aws.counters.reset();
    const missing = await migrate("s3://no-such-bucket/", "--app", "api", "--apply");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("s3://no-such-bucket: no such bucket");
    const noApp = await migrate("s3://legacy-vault/payments/", "--apply");
    expect(noApp.code).toBe(2);
    expect(noApp.stderr).toMatch(/needs \{app\} for s3:\/\/legacy-vault\/payments\/\S+: pass --app/);
    expect(writes()).toBe(0);
  });

  it("vaultlift scan reads s3:// vault buckets too (values redacted)", async () => {
    const result = await runCli(["--config", ws.config, "scan", "s3://legacy-vault/payments/", "--versions", "--format", "json"], { env: aws.env() });
    expect(result.code, result.stderr).toBe(1);
    const report = JSON.parse(result.stdout) as { findings: { file: string; source?: string }[] };
    expect(report.findings.length).toBeGreaterThan(0);
    for (const finding of report.findings) expect(finding.file).toMatch(/^s3:\/\/legacy-vault\/payments\//);
    expectNoValues(result.stdout);
  });

  it("bad input: a value over the SSM limit and a name invalid for the store are exit 2 naming file and line, nothing written", async () => {
    const s3 = s3Client(aws);
    await s3.send(new PutObjectCommand({ Bucket: "legacy-vault", Key: "big/cert.env", Body: `CERT_BUNDLE=${"c".repeat(9000)}\n` }));
    s3.destroy();
    aws.counters.reset();
    const planFile = path.join(ws.dir, "problem-plan.json");
    const big = await migrate("s3://legacy-vault/big/", "--app", "api", "--store", "ssm", "--apply", "--plan-out", planFile);
    expect(big.code).toBe(2);
    expect(lastLine(big.stderr)).toBe('vaultlift: s3://legacy-vault/big/cert.env:1: value of 9000 bytes is over the SSM (Advanced tier) limit of 8192 bytes for "/acme/payments/prod/api/cert-bundle"');
    // The plan is still saved, with its problems, for the user to review and fix.
    const saved = JSON.parse(readFileSync(planFile, "utf8")) as { problems: { message: string }[] };
    expect(saved.problems.map((problem) => problem.message)).toEqual([expect.stringContaining("value of 9000 bytes is over the SSM (Advanced tier) limit")]);
    const mapping = path.join(ws.dir, "bad-name.yaml");
    writeFileSync(mapping, 'mappings:\n  "legacy:0123": { name: "/acme/payments/prod/api/a+b", store: ssm }\n');
    const badName = await migrate("s3://legacy-vault/big/", "--app", "api", "--mapping", mapping, "--apply");
    expect(badName.code).toBe(2);
    expect(lastLine(badName.stderr)).toMatch(new RegExp(`^vaultlift: ${mapping}:2 legacy:0123: name "/acme/payments/prod/api/a\\+b" is not valid in ssm: SSM parameter names may only hold`));
    expect(writes()).toBe(0);
  });

  it("--history: an old value from git history is shown as superseded, the current one is planned", async () => {
    const repo = path.join(ws.dir, "history-repo");
    const git = (...args: string[]) => execFileSync("git", ["-C", repo, ...args], { env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@example.com", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@example.com" } });
    mkdirSync(repo);
    git("init", "-q");
    writeFileSync(path.join(repo, ".env"), "DB_PASSWORD=Hist0ry-old-Passw0rd-1\n");
    git("add", ".env");
    git("commit", "-qm", "first", "--date", "2020-01-01T00:00:00Z");
    writeFileSync(path.join(repo, ".env"), "DB_PASSWORD=Hist0ry-new-Passw0rd-2\n");
    git("commit", "-qam", "rotate", "--date", "2021-01-01T00:00:00Z");
    const result = await migrate(repo, "--history", "--app", "hist");
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe("[create] /acme/payments/prod/hist/db-password\n");
    expect(result.stderr).toMatch(/\[skip\] \.env:1 \(commit [0-9a-f]{10}\) \S+: superseded by a newer value of the same key/);
    expect(result.stdout + result.stderr).not.toMatch(/Hist0ry-(old|new)-Passw0rd/);
  });
});
