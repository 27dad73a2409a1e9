import { execFile, spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { CreateBucketCommand, PutBucketVersioningCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalAws, type LocalAws } from "../../scripts/local-aws/index.ts";

/** The aws executable; behind a pyenv shim, the real one (the shim costs a second per run). */
const awsBinary = spawnSync("pyenv", ["which", "aws"], { encoding: "utf8" }).stdout?.trim() || "aws";
const hasAwsCli = spawnSync(awsBinary, ["--version"], { stdio: "ignore" }).status === 0;
const run = promisify(execFile);

// Each aws CLI run costs about a second of Python start-up, so the tests run concurrently and keep runs few.
describe.skipIf(!hasAwsCli).concurrent("the aws CLI against the local endpoint", () => {
  let aws: LocalAws;
  let home: string;

  beforeAll(async () => {
    aws = await startLocalAws();
    home = await mkdtemp(path.join(tmpdir(), "vaultlift-awscli-"));
  });

  afterAll(async () => {
    await aws.stop();
    await rm(home, { recursive: true, force: true });
  });

  /** Runs `aws ...` asynchronously (the server shares this process) and parses its JSON output. */
  const cli = async (...args: string[]): Promise<Record<string, unknown>> => {
    const env = { PATH: process.env.PATH ?? "", HOME: home, AWS_CONFIG_FILE: path.join(home, "config"), AWS_SHARED_CREDENTIALS_FILE: path.join(home, "credentials"), ...aws.env() };
    const { stdout } = await run(awsBinary, ["--output", "json", ...args], { env, timeout: 30_000 });
    // `aws s3 cp` prints progress, not JSON.
    return stdout.trim().startsWith("{") ? (JSON.parse(stdout) as Record<string, unknown>) : {};
  };

  it("secretsmanager: create, get, list, force delete", async () => {
    const created = await cli("secretsmanager", "create-secret", "--name", "/cli/app/db", "--secret-string", '{"password":"hunter2"}');
    expect(created.ARN).toMatch(/:secret:\/cli\/app\/db-[A-Za-z0-9]{6}$/);
    const [got, listed] = await Promise.all([
      cli("secretsmanager", "get-secret-value", "--secret-id", "/cli/app/db"),
      cli("secretsmanager", "list-secrets", "--filters", "Key=name,Values=/cli/"),
    ]);
    expect(got).toMatchObject({ SecretString: '{"password":"hunter2"}', VersionStages: ["AWSCURRENT"] });
    expect((listed.SecretList as { Name: string }[]).map((s) => s.Name)).toEqual(["/cli/app/db"]);
    const deleted = await cli("secretsmanager", "delete-secret", "--secret-id", "/cli/app/db", "--force-delete-without-recovery");
    expect(deleted.Name).toBe("/cli/app/db");
    expect(aws.stores.secretsManager.size).toBe(0);
    expect(aws.counters.get("secretsmanager.CreateSecret")).toBe(1);
  }, 120_000);

  it("ssm: put-parameter and get-parameters-by-path (recursive, paged by the CLI)", async () => {
    const names = ["/cli/params/a", "/cli/params/deeper/c"];
    await Promise.all(names.map((name) => cli("ssm", "put-parameter", "--name", name, "--value", `value of ${name}`, "--type", "SecureString")));
    const [result, refused] = await Promise.all([
      cli("ssm", "get-parameters-by-path", "--path", "/cli/params", "--recursive", "--with-decryption", "--page-size", "1"),
      cli("ssm", "put-parameter", "--name", "/cli/params/a", "--value", "x", "--type", "String").catch((error: unknown) => error),
    ]);
    expect((result.Parameters as { Name: string; Value: string }[]).map((p) => [p.Name, p.Value])).toEqual(names.map((name) => [name, `value of ${name}`]));
    expect(aws.counters.get("ssm.GetParametersByPath")).toBe(2);
    expect(refused).toMatchObject({ stderr: expect.stringContaining("ParameterAlreadyExists") });
  }, 120_000);

  it("s3: copy a file into a versioned bucket, list its versions", async () => {
    const file = path.join(home, "ssm-legacy.py");
    await writeFile(file, "put_ssm_parameter('/legacy/token', 'abc')\n");
    // The bucket is set up with the SDK: fewer CLI runs.
    const s3 = new S3Client({ endpoint: aws.endpoint, region: aws.region, credentials: aws.credentials, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: "cli-vault" }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: "cli-vault", VersioningConfiguration: { Status: "Enabled" } }));
    s3.destroy();
    await cli("s3", "cp", file, "s3://cli-vault/scripts/ssm-legacy.py");
    const versions = await cli("s3api", "list-object-versions", "--bucket", "cli-vault", "--prefix", "scripts/");
    expect(versions.Versions).toMatchObject([{ Key: "scripts/ssm-legacy.py", IsLatest: true, Size: 42 }]);
    expect(aws.counters.get("s3.PutObject")).toBe(1);
  }, 120_000);
});
