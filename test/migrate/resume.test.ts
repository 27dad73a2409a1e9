import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { GetSecretValueCommand, ListSecretVersionIdsCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, REPO_ROOT, runCli } from "../helpers/run-cli.ts";
import { startLocalAws, type LocalAws } from "../../scripts/local-aws/index.ts";
import { makeWorkspace, seedBulkBucket } from "./fixtures.ts";

let aws: LocalAws;
let ws: ReturnType<typeof makeWorkspace>;
let values: Record<string, string>;

beforeAll(async () => {
  aws = await startLocalAws();
  ws = makeWorkspace();
  values = await seedBulkBucket(aws, "bulk-vault", 12);
});

afterAll(async () => {
  await aws?.stop();
});

const journal = () => path.join(ws.state, "journal.jsonl");
const args = () => ["--config", ws.config, "migrate", "s3://bulk-vault/bulk/", "--app", "bulk", "--apply", "--concurrency", "1", "--journal", journal(), "--baseline", ws.baseline];
const env = () => ({ ...process.env, CI: "true", ...aws.env(), VAULTLIFT_STATE_DIR: ws.state });
const writtenCount = () => (existsSync(journal()) ? readFileSync(journal(), "utf8").split("\n").filter((line) => line.includes('"event":"written"')).length : 0);

describe("a migration killed mid-apply", () => {
  it("resumes on the next run: nothing lost, nothing duplicated", async () => {
    aws.faults.set({ latencyMs: 250, operations: ["secretsmanager.CreateSecret"] });
    const child = spawn(process.execPath, [BIN, ...args()], { cwd: REPO_ROOT, env: env(), stdio: "ignore" });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (_code, signal) => resolve(signal ? -1 : _code)));
    const deadline = Date.now() + 60_000;
    while (writtenCount() < 4 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    child.kill("SIGKILL");
    expect(await exited).toBe(-1);
    const before = writtenCount();
    expect(before).toBeGreaterThanOrEqual(4);
    expect(before).toBeLessThan(12);
    aws.faults.clear();

    const resumed = await runCli(args(), { env: { ...aws.env(), VAULTLIFT_STATE_DIR: ws.state } });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/resuming run r-\S+: \d+ verified before, \d+ in flight when it stopped/);
    expect(resumed.stderr).toMatch(/failed 0/);

    const sm = new SecretsManagerClient({ endpoint: aws.endpoint, region: aws.region, credentials: aws.credentials });
    for (const [key, value] of Object.entries(values)) {
      const name = `/acme/payments/prod/bulk/${key.toLowerCase().replace(/_/g, "-")}`;
      const current = await sm.send(new GetSecretValueCommand({ SecretId: name }));
      expect(current.SecretString, name).toBe(value);
      const versions = await sm.send(new ListSecretVersionIdsCommand({ SecretId: name }));
      expect(versions.Versions, name).toHaveLength(1);
    }
    sm.destroy();

    aws.counters.reset();
    const again = await runCli(args(), { env: { ...aws.env(), VAULTLIFT_STATE_DIR: ws.state } });
    expect(again.code).toBe(0);
    expect(again.stdout.trim().split("\n")).toHaveLength(12);
    expect(again.stdout).not.toMatch(/\[(create|modified)\]/);
    expect(aws.counters.total("secretsmanager.") - aws.counters.get("secretsmanager.BatchGetSecretValue")).toBe(0);
  }, 120_000);

  it("Ctrl-C stops after the writes in flight, exits 130, and the next run finishes the job", async () => {
    const local = { ...process.env, CI: "true", ...aws.env(), VAULTLIFT_STATE_DIR: ws.state };
    const sigArgs = args().map((arg) => (arg === "bulk" ? "sigint" : arg));
    aws.faults.set({ latencyMs: 200, operations: ["secretsmanager.CreateSecret"] });
    const start = writtenCount();
    const child = spawn(process.execPath, [BIN, ...sigArgs], { cwd: REPO_ROOT, env: local, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
    while (writtenCount() < start + 2) await new Promise((resolve) => setTimeout(resolve, 20));
    child.kill("SIGINT");
    expect(await exited).toBe(130);
    aws.faults.clear();
    expect(stderr).toMatch(/interrupted: \d+ not started; run the same command again to resume/);
    expect(stderr).toMatch(/failed 0/);
    const lines = readFileSync(journal(), "utf8").trim().split("\n");
    expect(JSON.parse(lines.at(-1) as string)).toMatchObject({ event: "end", interrupted: true });

    const resumed = await runCli(sigArgs, { env: { ...aws.env(), VAULTLIFT_STATE_DIR: ws.state } });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/resuming run/);
    const again = await runCli(sigArgs, { env: { ...aws.env(), VAULTLIFT_STATE_DIR: ws.state } });
    expect(again.stdout.trim().split("\n").every((line) => line.startsWith("[no change]"))).toBe(true);
  }, 120_000);

  it("throttled and dropped write responses are retried without a second version", async () => {
    const dropArgs = args().map((arg) => (arg === "bulk" ? "flaky" : arg === "1" ? "4" : arg));
    aws.counters.reset();
    aws.faults.set({ throttleRate: 0.3, dropRate: 0.2, seed: 7, operations: ["secretsmanager.CreateSecret", "secretsmanager.PutSecretValue", "secretsmanager.BatchGetSecretValue"] });
    const result = await runCli(dropArgs, { env: { ...aws.env(), VAULTLIFT_STATE_DIR: ws.state } });
    const injected = aws.faults.injected();
    aws.faults.clear();
    expect(injected["drop:secretsmanager.CreateSecret"] ?? 0, JSON.stringify(injected)).toBeGreaterThan(0);
    expect(injected["throttle:secretsmanager.CreateSecret"] ?? 0, JSON.stringify(injected)).toBeGreaterThan(0);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/created 12, modified 0, unchanged 0, verified 12, failed 0/);
    const [, calls, attempts] = /API calls: (\d+) calls .*, (\d+) HTTP attempts/.exec(result.stderr) ?? [];
    expect(Number(attempts)).toBeGreaterThan(Number(calls));
    const sm = new SecretsManagerClient({ endpoint: aws.endpoint, region: aws.region, credentials: aws.credentials });
    for (const [key, value] of Object.entries(values)) {
      const name = `/acme/payments/prod/flaky/${key.toLowerCase().replace(/_/g, "-")}`;
      expect((await sm.send(new GetSecretValueCommand({ SecretId: name }))).SecretString, name).toBe(value);
      expect((await sm.send(new ListSecretVersionIdsCommand({ SecretId: name }))).Versions, name).toHaveLength(1);
    }
    sm.destroy();
  }, 120_000);
});
