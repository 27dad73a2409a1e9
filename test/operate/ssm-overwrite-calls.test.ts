import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalAws, type LocalAws } from "../../scripts/local-aws/index.ts";
import { runCli } from "../helpers/run-cli.ts";
import { CONFIG } from "../migrate/fixtures.ts";

let aws: LocalAws;
let dir: string;

beforeAll(async () => {
  aws = await startLocalAws({ s3: false });
  dir = mkdtempSync(path.join(tmpdir(), "vaultlift-ssm-calls-"));
  writeFileSync(path.join(dir, "vaultlift.yaml"), CONFIG);
});

afterAll(async () => {
  await aws?.stop();
});

const cli = (args: string[], input?: string) =>
  runCli(["--config", path.join(dir, "vaultlift.yaml"), ...args], { cwd: dir, env: { ...aws.env(), VAULTLIFT_STATE_DIR: path.join(dir, "state") }, ...(input !== undefined ? { input } : {}) });

const ssmCalls = () => Object.fromEntries(Object.entries(aws.counters.byOperation()).filter(([operation]) => operation.startsWith("ssm.")));

describe("an SSM overwrite costs one read and one PutParameter", () => {
  it("migrate: a changed value is read in the batched diff and written with one PutParameter, nothing else per parameter", async () => {
    const repo = path.join(dir, "api");
    mkdirSync(repo, { recursive: true });
    const names = ["STRIPE_KEY", "GITHUB_TOKEN", "SENDGRID_API_KEY"];
    const write = (round: number) =>
      writeFileSync(path.join(repo, ".env"), names.map((key, index) => `${key}=sk_live_${round}${index}eC39HqLyjWDarjtT1zdp7d\n`).join(""));
    write(1);
    const first = await cli(["migrate", repo, "--env", "prod", "--store", "ssm", "--apply"]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout.match(/\[create\]/g)).toHaveLength(3);
    write(2);
    aws.counters.reset();
    const second = await cli(["migrate", repo, "--env", "prod", "--store", "ssm", "--apply"]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout.match(/\[modified\]/g)).toHaveLength(3);
    // One batched read to diff, one PutParameter each, one batched read-back: no GetParameter, no DescribeParameters, no tag calls.
    expect(ssmCalls()).toEqual({ "ssm.GetParameters": 2, "ssm.PutParameter": 3 });
  });

  it("secrets update --store ssm: one GetParameter and one PutParameter, and the parameter keeps its type and tier", async () => {
    expect((await cli(["secrets", "create", "/acme/payments/prod/api/flag", "--store", "ssm", "--value-stdin"], "blue")).code).toBe(0);
    expect((await cli(["secrets", "create", "/acme/payments/prod/api/bundle", "--store", "ssm", "--value-stdin"], "b".repeat(5000))).code).toBe(0);
    for (const [name, value] of [
      ["/acme/payments/prod/api/flag", "green"],
      ["/acme/payments/prod/api/bundle", "small now"],
    ] as const) {
      aws.counters.reset();
      const updated = await cli(["secrets", "update", name, "--store", "ssm", "--value-stdin"], value);
      expect(updated.code, updated.stderr).toBe(0);
      expect(ssmCalls(), name).toEqual({ "ssm.GetParameter": 1, "ssm.PutParameter": 1 });
      aws.counters.reset();
      const same = await cli(["secrets", "update", name, "--store", "ssm", "--value-stdin"], value);
      expect(same.stdout).toBe(`no change: ${name}\n`);
      expect(ssmCalls(), name).toEqual({ "ssm.GetParameter": 1 });
    }
    const listed = await cli(["secrets", "list", "--prefix", "/acme/payments/prod/api/", "--format", "json"]);
    const byName = Object.fromEntries((JSON.parse(listed.stdout) as { name: string; type?: string; tier?: string }[]).map((entry) => [entry.name, entry]));
    expect(byName["/acme/payments/prod/api/flag"]).toMatchObject({ type: "SecureString", tier: "Standard" });
    expect(byName["/acme/payments/prod/api/bundle"]).toMatchObject({ type: "SecureString", tier: "Advanced" });
  });
});
