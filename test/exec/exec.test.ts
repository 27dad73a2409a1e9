import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { CreateSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, runCli } from "../helpers/run-cli.ts";
import { startLocalAws, type LocalAws } from "../../scripts/local-aws/index.ts";

const VALUES = { db: "exec-db-Pa55word-7781", api: "exec-api-key-zz91x", webhook: "whsec_exec_hook_4471", jsonPassword: "exec-json-pa55-0042" };
const PREFIX = "/acme/payments/prod/api/";
const PRINT_ENV = `process.stdout.write(JSON.stringify({db:process.env.DB_PASSWORD,api:process.env.API_KEY,hook:process.env.WEBHOOK_SECRET,plain:process.env.PLAIN,argv:process.argv.slice(1)}))`;

let aws: LocalAws;
let dir: string;

beforeAll(async () => {
  aws = await startLocalAws();
  dir = mkdtempSync(path.join(tmpdir(), "vaultlift-exec-"));
  const sm = new SecretsManagerClient({ endpoint: aws.endpoint, region: aws.region, credentials: aws.credentials });
  await sm.send(new CreateSecretCommand({ Name: `${PREFIX}db-password`, SecretString: VALUES.db }));
  await sm.send(new CreateSecretCommand({ Name: `${PREFIX}webhook_secret`, SecretString: VALUES.webhook }));
  await sm.send(new CreateSecretCommand({ Name: `${PREFIX}db-credentials`, SecretString: JSON.stringify({ username: "payments", password: VALUES.jsonPassword }) }));
  sm.destroy();
  const ssm = new SSMClient({ endpoint: aws.endpoint, region: aws.region, credentials: aws.credentials });
  await ssm.send(new PutParameterCommand({ Name: `${PREFIX}api-key`, Value: VALUES.api, Type: "SecureString" }));
  await ssm.send(new PutParameterCommand({ Name: "/acme/payments/prod/evil/node-options", Value: "--require /tmp/x.js", Type: "SecureString" }));
  ssm.destroy();
});

afterAll(async () => {
  await aws?.stop();
});

const exec = (args: string[]) => runCli(["exec", ...args], { cwd: dir, env: aws.env() });
const noValues = (text: string) => {
  for (const value of Object.values(VALUES)) expect(text).not.toContain(value);
};

describe("vaultlift exec", () => {
  it("resolves references in an env file with one batched read per store, and keeps literals", async () => {
    const envFile = path.join(dir, "app.env");
    writeFileSync(
      envFile,
      [
        "# app settings",
        `DB_PASSWORD=vaultlift:secretsmanager:${PREFIX}db-password`,
        `export API_KEY="vaultlift:ssm:${PREFIX}api-key"`,
        `WEBHOOK_SECRET=vaultlift:${PREFIX}webhook_secret`,
        "PLAIN='kept as is' ",
        "",
      ].join("\r\n"),
    );
    aws.counters.reset();
    const result = await exec(["--env-file", envFile, "--", process.execPath, "-e", PRINT_ENV, "an-arg"]);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ db: VALUES.db, api: VALUES.api, hook: VALUES.webhook, plain: "kept as is", argv: ["an-arg"] });
    noValues(result.stderr);
    expect(aws.counters.get("secretsmanager.BatchGetSecretValue")).toBe(1);
    expect(aws.counters.get("ssm.GetParameters")).toBe(1);
    expect(aws.counters.get("secretsmanager.GetSecretValue")).toBe(0);
  });

  it("--prefix maps each leaf to an upper-case variable", async () => {
    const result = await exec(["--prefix", PREFIX, "--", process.execPath, "-e", PRINT_ENV]);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ db: VALUES.db, api: VALUES.api, hook: VALUES.webhook });
  });

  it("a #key reference reads one key of a JSON secret", async () => {
    const envFile = path.join(dir, "field.env");
    writeFileSync(envFile, `DB_PASSWORD=vaultlift:secretsmanager:${PREFIX}db-credentials#password\n`);
    const result = await exec(["--env-file", envFile, "--", process.execPath, "-e", PRINT_ENV]);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ db: VALUES.jsonPassword });
  });

  it("returns the command's exit code", async () => {
    const result = await exec(["--prefix", PREFIX, "--", process.execPath, "-e", "process.exit(process.env.DB_PASSWORD ? 42 : 1)"]);
    expect(result.code).toBe(42);
  });

  it("a missing secret is exit 2 naming file and line, and the command never starts", async () => {
    const envFile = path.join(dir, "missing.env");
    const marker = path.join(dir, "started");
    writeFileSync(envFile, `DB_PASSWORD=vaultlift:secretsmanager:${PREFIX}db-password\nGONE=vaultlift:${PREFIX}no-such-secret\n`);
    const result = await exec(["--env-file", envFile, "--", process.execPath, "-e", `require('fs').writeFileSync(${JSON.stringify(marker)}, 'x')`]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`missing.env:2: GONE refers to "${PREFIX}no-such-secret"`);
    expect((await import("node:fs")).existsSync(marker)).toBe(false);
    noValues(result.stdout + result.stderr);
  });

  it("refuses loader variables from secrets, from a prefix or a reference", async () => {
    const fromPrefix = await exec(["--prefix", "/acme/payments/prod/evil/", "--", process.execPath, "-e", ""]);
    expect(fromPrefix.code).toBe(2);
    expect(fromPrefix.stderr).toContain("would set NODE_OPTIONS");
    const envFile = path.join(dir, "preload.env");
    writeFileSync(envFile, `LD_PRELOAD=vaultlift:${PREFIX}db-password\n`);
    const fromFile = await exec(["--env-file", envFile, "--", process.execPath, "-e", ""]);
    expect(fromFile.code).toBe(2);
    expect(fromFile.stderr).toContain("preload.env:1: LD_PRELOAD");
    noValues(fromFile.stderr);
  });

  it("forwards SIGTERM to the command and reports its exit code", async () => {
    const script = "process.on('SIGTERM',()=>{process.stdout.write('got SIGTERM');process.exit(7)});process.stdout.write('ready');setInterval(()=>{},1000)";
    const child = spawn(process.execPath, [BIN, "exec", "--prefix", PREFIX, "--", process.execPath, "-e", script], { cwd: dir, env: { ...process.env, CI: "true", ...aws.env() } });
    let stdout = "";
    const code = await new Promise<number | null>((resolve) => {
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout === "ready") child.kill("SIGTERM");
      });
      child.on("close", (exitCode) => resolve(exitCode));
    });
    expect(stdout).toBe("readygot SIGTERM");
    expect(code).toBe(7);
  });
});
