/**
 * The whole migration on a hand-built estate: two repositories with history, test
 * fixtures, examples and a Kubernetes Secret, and a versioned vault bucket with dev and
 * prod scripts pushing String and SecureString parameters under hierarchical names.
 * What gets stored must be what the applications read.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { CreateBucketCommand, PutBucketVersioningCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { DescribeSecretCommand, GetSecretValueCommand, ListSecretsCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { DescribeParametersCommand, GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.ts";
import { startLocalAws, type LocalAws } from "../../scripts/local-aws/index.ts";
import { s3Client } from "./fixtures.ts";

const V = {
  billingUrl: "postgres://billing:Bill1ng-Current-Pa55@billing-db:5432/billing",
  billingUrlOld: "postgres://billing:Bill1ng-Old-Pa55-2019@billing-db:5432/billing",
  ordersUrl: "mysql://orders:p%40ss%2Fw0rd-Orders9@orders-db:3306/orders",
  sendgrid: "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",
  deletedStripe: "sk_live_51DeletedLongAgoXyZ0123456789abc",
  k8sPassword: "Orders-K8s-Db-Passw0rd!",
  devDb: "Dev-Db-Passw0rd-2024",
  prodDbOld: "Prod-Db-Passw0rd-2019",
  prodDb: "Prod-Db-Passw0rd-2024",
  datadog: "dd0a1b2c3d4e5f60718293a4b5c6d7e8",
  mail: "Mail-Sm7p-Passw0rd",
  fixture: "postgres://fixture:Fixture-Only-Pa55@localhost:5432/test",
  example: "postgres://billing:Xq7-Local-Pa55w0rd@localhost:5432/billing",
  rotated: "Rotated-By-Ops-2025!",
} as const;

let aws: LocalAws;
let dir: string;
let config: string;
let state: string;
let billing: string;
let orders: string;

const gitEnv = { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@example.com", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@example.com" };
function write(root: string, file: string, text: string): void {
  mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  writeFileSync(path.join(root, file), text);
}
function commit(root: string, message: string, date: string): void {
  execFileSync("git", ["-C", root, "add", "-A"], { env: gitEnv });
  execFileSync("git", ["-C", root, "commit", "-qm", message, "--date", date], { env: { ...gitEnv, GIT_COMMITTER_DATE: date } });
}

beforeAll(async () => {
  aws = await startLocalAws();
  dir = mkdtempSync(path.join(tmpdir(), "vaultlift-estate-"));
  state = path.join(dir, "state");
  config = path.join(dir, "vaultlift.yaml");
  writeFileSync(
    config,
    ["org: acme", "region: us-east-1", "environments: [dev, prod]", "kms: { alias: alias/acme-secrets }", "state: { bucket: acme-state }", "teams: [{ name: platform }]", ""].join("\n"),
  );

  billing = path.join(dir, "billing");
  mkdirSync(billing);
  execFileSync("git", ["-C", billing, "init", "-q"], { env: gitEnv });
  write(billing, ".env", `DATABASE_URL=${V.billingUrlOld}\nWORKER_CONCURRENCY=8\n`);
  write(billing, "deploy/old.env", `STRIPE_SECRET_KEY=${V.deletedStripe}\n`);
  commit(billing, "first", "2020-01-01T00:00:00Z");
  write(billing, ".env", `DATABASE_URL=${V.billingUrl}\nWORKER_CONCURRENCY=8\n`);
  execFileSync("git", ["-C", billing, "rm", "-q", "deploy/old.env"], { env: gitEnv });
  write(billing, "settings.py", `SENDGRID_API_KEY = "${V.sendgrid}"\n`);
  write(billing, "test/fixtures/db.env", `DATABASE_URL=${V.fixture}\n`);
  write(billing, "config.env.example", `DATABASE_URL=${V.example}\n`);
  commit(billing, "rotate the database password", "2022-01-01T00:00:00Z");

  orders = path.join(dir, "orders");
  mkdirSync(orders);
  execFileSync("git", ["-C", orders, "init", "-q"], { env: gitEnv });
  write(orders, "app/settings.py", `DATABASE_URL = "${V.ordersUrl}"\nSENDGRID_API_KEY = "${V.sendgrid}"\n`);
  write(
    orders,
    "k8s/secret.yaml",
    ["apiVersion: v1", "kind: Secret", "metadata:", "  name: orders-db", "type: Opaque", "data:", `  password: ${Buffer.from(V.k8sPassword).toString("base64")}`, ""].join("\n"),
  );
  write(orders, "docs/setup.md", `Connect with \`DATABASE_URL=${V.example}\`\n`);
  commit(orders, "orders", "2023-01-01T00:00:00Z");

  const s3 = s3Client(aws);
  await s3.send(new CreateBucketCommand({ Bucket: "acme-vault" }));
  await s3.send(new PutBucketVersioningCommand({ Bucket: "acme-vault", VersioningConfiguration: { Status: "Enabled" } }));
  const put = (Key: string, Body: string) => s3.send(new PutObjectCommand({ Bucket: "acme-vault", Key, Body }));
  const script = (env: string, db: string) =>
    [
      "from vault import SsmParameterUpdater",
      `updater = SsmParameterUpdater('myapp-${env}', region='us-east-1')`,
      `updater.put_ssm_parameter('/myapp/database/password/1', '${db}', value_type='SecureString')`,
      `updater.put_ssm_parameter('/myapp/database/host', '${env}-db.internal', value_type='String')`,
      `updater.put_ssm_parameter('/cicd/deployed/color', '${env === "dev" ? "green" : "blue"}', value_type='String')`,
      "",
    ].join("\n");
  await put("ssm-dev.py", script("dev", V.devDb));
  await put("ssm-prod.py", script("prod", V.prodDbOld));
  await put("ssm-prod.py", `${script("prod", V.prodDb)}updater.put_ssm_parameter('/myapp/datadog/api_key', '${V.datadog}', value_type='SecureString')\n`);
  await put("application.yaml", `spring:\n  mail:\n    host: smtp.internal\n    password: ${V.mail}\n`);
  await put("examples/ssm-demo.py", `put_ssm_parameter('/demo/password', 'Demo-Only-Passw0rd', value_type='SecureString')\n`);
  s3.destroy();
});

afterAll(async () => {
  await aws?.stop();
});

const journal = () => path.join(state, "journal.jsonl");
const migrateRepos = (...args: string[]) =>
  runCli(["--config", config, "migrate", billing, orders, "--history", "--env", "prod", "--journal", journal(), ...args], { env: { ...aws.env(), VAULTLIFT_STATE_DIR: state } });
const migrateVault = (...args: string[]) =>
  runCli(["--config", config, "migrate", "s3://acme-vault/", "--versions", "--app", "myapp", "--env", "prod", "--journal", journal(), ...args], {
    env: { ...aws.env(), VAULTLIFT_STATE_DIR: state },
  });
const clients = () => ({
  sm: new SecretsManagerClient({ endpoint: aws.endpoint, region: aws.region, credentials: aws.credentials }),
  ssm: new SSMClient({ endpoint: aws.endpoint, region: aws.region, credentials: aws.credentials }),
});
const expectNoValues = (text: string) => {
  for (const value of Object.values(V)) expect(text).not.toContain(value);
};

describe("a realistic estate", () => {
  it("dry run: no problems, meaningful names, kept types, fixtures and history-only values skipped, reuse reported", async () => {
    const repos = await migrateRepos("--plan-out", path.join(dir, "repos-plan.json"));
    expect(repos.code, repos.stderr).toBe(0);
    expect(repos.stdout.trim().split("\n").sort()).toEqual([
      "[create] /acme/platform/prod/billing/database-url",
      "[create] /acme/platform/prod/billing/sendgrid-api-key",
      "[create] /acme/platform/prod/orders/database-url",
      "[create] /acme/platform/prod/orders/db-password",
    ]);
    expect(repos.stderr).toMatch(/\[skip\] test\/fixtures\/db\.env:1 \S+: test fixture, example or documentation sample/);
    expect(repos.stderr).toMatch(/\[skip\] config\.env\.example:1 /);
    expect(repos.stderr).toMatch(/\[skip\] docs\/setup\.md:1 /);
    expect(repos.stderr).toMatch(/\[skip\] deploy\/old\.env:1 \(commit [0-9a-f]{10}\) \S+: found only in history: exposed, rotate it/);
    expect(repos.stderr).toMatch(/\[skip\] \.env:1 \(commit [0-9a-f]{10}\) \S+: superseded by a newer value of the same key/);
    expect(repos.stderr).toContain("[reuse] /acme/platform/prod/billing/sendgrid-api-key: one value in billing, orders");
    const vault = await migrateVault("--plan-out", path.join(dir, "vault-plan.json"));
    expect(vault.code, vault.stderr).toBe(0);
    expect(vault.stdout.trim().split("\n").sort()).toEqual([
      "[create] /acme/platform/dev/myapp/cicd-deployed-color (ssm)",
      "[create] /acme/platform/dev/myapp/database-host (ssm)",
      "[create] /acme/platform/dev/myapp/database-password-1",
      "[create] /acme/platform/prod/myapp/cicd-deployed-color (ssm)",
      "[create] /acme/platform/prod/myapp/database-host (ssm)",
      "[create] /acme/platform/prod/myapp/database-password-1",
      "[create] /acme/platform/prod/myapp/datadog-api-key",
      "[create] /acme/platform/prod/myapp/mail-host (ssm)",
      "[create] /acme/platform/prod/myapp/mail-password",
    ]);
    expect(vault.stderr).toMatch(/\[skip\] s3:\/\/acme-vault\/ssm-prod\.py:3 \(version \S+\) \S+: superseded by the current object version/);
    expect(vault.stderr).toMatch(/\[skip\] s3:\/\/acme-vault\/examples\/ssm-demo\.py:1 /);
    expectNoValues(repos.stdout + repos.stderr + vault.stdout + vault.stderr + readFileSync(path.join(dir, "repos-plan.json"), "utf8"));
  });

  it("--apply stores whole connection strings, decoded Kubernetes data, String parameters as String, with the two tags", async () => {
    const repos = await migrateRepos("--apply");
    expect(repos.code, repos.stderr).toBe(0);
    const vault = await migrateVault("--apply");
    expect(vault.code, vault.stderr).toBe(0);
    const { sm, ssm } = clients();
    const value = async (name: string) => (await sm.send(new GetSecretValueCommand({ SecretId: name }))).SecretString;
    expect(await value("/acme/platform/prod/billing/database-url")).toBe(V.billingUrl);
    expect(await value("/acme/platform/prod/orders/database-url")).toBe(V.ordersUrl);
    expect(await value("/acme/platform/prod/orders/db-password")).toBe(V.k8sPassword);
    expect(await value("/acme/platform/prod/myapp/database-password-1")).toBe(V.prodDb);
    expect(await value("/acme/platform/dev/myapp/database-password-1")).toBe(V.devDb);
    const host = await ssm.send(new GetParameterCommand({ Name: "/acme/platform/prod/myapp/database-host" }));
    expect(host.Parameter).toMatchObject({ Type: "String", Value: "prod-db.internal" });
    const color = await ssm.send(new GetParameterCommand({ Name: "/acme/platform/dev/myapp/cicd-deployed-color" }));
    expect(color.Parameter).toMatchObject({ Type: "String", Value: "green" });

    const { SecretList = [] } = await sm.send(new ListSecretsCommand({}));
    expect(SecretList.length).toBe(8);
    for (const secret of SecretList) {
      const tags = Object.fromEntries((secret.Tags ?? []).map((tag) => [tag.Key, tag.Value]));
      expect(tags["vaultlift:legacy-name"], secret.Name).toBeTruthy();
      expect(tags["vaultlift:source"], secret.Name).toBeTruthy();
    }
    const tagsOf = async (name: string) => Object.fromEntries(((await sm.send(new DescribeSecretCommand({ SecretId: name }))).Tags ?? []).map((tag) => [tag.Key, tag.Value]));
    const head = execFileSync("git", ["-C", billing, "rev-parse", "HEAD"], { encoding: "utf8" }).trim();
    expect(await tagsOf("/acme/platform/prod/myapp/database-password-1")).toMatchObject({
      "vaultlift:legacy-name": "/myapp/database/password/1",
      "vaultlift:source": expect.stringMatching(/^s3:\/\/acme-vault\/ssm-prod\.py@\S+$/),
    });
    expect(await tagsOf("/acme/platform/prod/billing/database-url")).toMatchObject({ "vaultlift:legacy-name": "DATABASE_URL", "vaultlift:source": `billing:.env@${head}` });
    const { Parameters = [] } = await ssm.send(new DescribeParametersCommand({}));
    expect(Parameters.filter((parameter) => parameter.Type === "SecureString")).toEqual([]);
    sm.destroy();
    ssm.destroy();
  });

  it("a rotation in the store followed by a re-run is [drift], exit 1, nothing written; --force overwrites", async () => {
    const rotated = await runCli(["--config", config, "secrets", "update", "/acme/platform/prod/billing/database-url", "--value-stdin"], { env: aws.env(), input: V.rotated });
    expect(rotated.code, rotated.stderr).toBe(0);
    const { sm, ssm } = clients();
    aws.counters.reset();
    const rerun = await migrateRepos("--apply");
    expect(rerun.code, rerun.stderr).toBe(1);
    expect(rerun.stdout).toContain("[drift] /acme/platform/prod/billing/database-url: changed in the store since migration");
    expect(aws.counters.writes()).toBe(0);
    expect((await sm.send(new GetSecretValueCommand({ SecretId: "/acme/platform/prod/billing/database-url" }))).SecretString).toBe(V.rotated);
    const forced = await migrateRepos("--apply", "--force");
    expect(forced.code, forced.stderr).toBe(0);
    expect((await sm.send(new GetSecretValueCommand({ SecretId: "/acme/platform/prod/billing/database-url" }))).SecretString).toBe(V.billingUrl);
    sm.destroy();
    ssm.destroy();
  });

  it("secrets update keeps a String parameter a String", async () => {
    const result = await runCli(["--config", config, "secrets", "update", "/acme/platform/prod/myapp/cicd-deployed-color", "--value-stdin", "--store", "ssm"], { env: aws.env(), input: "purple" });
    expect(result.code, result.stderr).toBe(0);
    const { ssm } = clients();
    const color = await ssm.send(new GetParameterCommand({ Name: "/acme/platform/prod/myapp/cicd-deployed-color" }));
    expect(color.Parameter).toMatchObject({ Type: "String", Value: "purple" });
    ssm.destroy();
  });

  it("a saved plan whose source value changed after review is refused, naming it", async () => {
    const plan = path.join(dir, "vault-plan.json");
    const s3 = s3Client(aws);
    await s3.send(new PutObjectCommand({ Bucket: "acme-vault", Key: "application.yaml", Body: `spring:\n  mail:\n    host: smtp.internal\n    password: Changed-After-Review-1\n` }));
    s3.destroy();
    const result = await migrateVault("--mapping", plan, "--apply");
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split("\n").at(-1)).toMatch(/^vaultlift: s3:\/\/acme-vault\/application\.yaml:4 \(version \S+\): the value for "\/acme\/platform\/prod\/myapp\/mail-password" differs from the one in the reviewed plan/);
  });
});
