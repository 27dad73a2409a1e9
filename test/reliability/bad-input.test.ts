/**
 * Bad input through the real CLI: one clear line naming the file, key, line, name or URL,
 * exit 2, no write call reaching the endpoint and no file left behind. Files a scan cannot
 * read as text (binary, huge, not UTF-8, symlink loops) are skipped, not errors.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { workspaceWith } from "../helpers/loopback.ts";
import { runCli, type CliResult } from "../helpers/run-cli.ts";
import { startLocalAws, type LocalAws } from "../../scripts/local-aws/index.ts";
import { CONFIG } from "./legacy-world.ts";


let aws: LocalAws;
let dir: string;
let config: string;

beforeAll(async () => {
  aws = await startLocalAws();
  dir = await workspaceWith("bad-input", CONFIG);
  config = path.join(dir, "vaultlift.yaml");
});

afterAll(async () => {
  await aws?.stop();
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => aws.counters.reset());

const writes = () => aws.counters.writes() + aws.counters.get("s3.PutObject");

/** Runs vaultlift in a fresh empty directory and returns the result and what was left in it. */
async function inEmptyDir(args: string[], env: Record<string, string | undefined> = aws.env()): Promise<CliResult & { left: string[] }> {
  const cwd = mkdtempSync(path.join(dir, "cwd-"));
  const result = await runCli(args, { cwd, env: { ...env, VAULTLIFT_STATE_DIR: undefined } });
  return { ...result, left: readdirSync(cwd) };
}

/** Exit 2, exactly one line on stderr matching `message`, nothing written anywhere. */
function expectRefused(result: CliResult & { left: string[] }, message: RegExp | string): void {
  expect(result.code, result.stderr).toBe(2);
  const lines = result.stderr.trim().split("\n").filter((line) => line.startsWith("vaultlift:"));
  expect(lines, result.stderr).toHaveLength(1);
  if (typeof message === "string") expect(lines[0]).toBe(`vaultlift: ${message}`);
  else expect(lines[0]).toMatch(message);
  expect(result.stdout).toBe("");
  expect(writes()).toBe(0);
  expect(result.left).toEqual([]);
}

function file(name: string, content: string | Buffer): string {
  const target = path.join(dir, name);
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, content);
  return target;
}

describe("bad config", () => {
  it("malformed YAML names the file and line", async () => {
    const bad = file("malformed.yaml", "org: acme\nregion: [us-east-1\nteams: []\n");
    expectRefused(await inEmptyDir(["--config", bad, "secrets", "list"]), new RegExp(`^vaultlift: ${bad}:\\d+ `));
  });

  it("an unknown key names the file, line and key", async () => {
    const bad = file("unknown.yaml", `${CONFIG}colour: blue\n`);
    expectRefused(await inEmptyDir(["--config", bad, "secrets", "list"]), `${bad}:7 colour: unknown key "colour"`);
  });
});

describe("names invalid for a store", () => {
  it("secrets create with a name Secrets Manager refuses", async () => {
    const value = file("value.txt", "a-value");
    expectRefused(
      await inEmptyDir(["--config", config, "secrets", "create", "/acme/bad name!", "--file", value, "--ignore-convention"]),
      'invalid secret name "/acme/bad name!": Secrets Manager names may only hold letters, digits and /_+=.@- (found " ")',
    );
  });

  it("secrets create of an SSM name beginning with aws", async () => {
    const value = file("value.txt", "a-value");
    expectRefused(
      await inEmptyDir(["--config", config, "secrets", "create", "/awsx/payments", "--file", value, "--store", "ssm", "--ignore-convention"]),
      'invalid parameter name "/awsx/payments": SSM parameter names must not begin with "aws" or "ssm"',
    );
  });

  it("a migration whose mapping names a target invalid for SSM names the mapping file and line", async () => {
    const repo = file("ssm-repo/ssm-one.py", "put_ssm_parameter('/legacy/one/api_key', 'Qm9vZ2llV29vZ2llMTIzNDU2', value_type='SecureString')\n");
    const plan = path.join(dir, "one-plan.json");
    const planned = await runCli(["--config", config, "migrate", path.dirname(repo), "--app", "one", "--plan-out", plan], { cwd: dir, env: aws.env() });
    expect(planned.code, planned.stderr).toBe(0);
    const fingerprint = (JSON.parse(readFileSync(plan, "utf8")) as { targets: { sources: { fingerprint: string }[] }[] }).targets[0]?.sources[0]?.fingerprint;
    const mapping = file("bad-ssm-name.yaml", `version: 1\nmappings:\n  "${fingerprint}": { name: "/acme/payments/dev/one/key@v2", store: ssm }\n`);
    expectRefused(
      await inEmptyDir(["--config", config, "migrate", path.dirname(repo), "--app", "one", "--mapping", mapping, "--apply"]),
      new RegExp(`^vaultlift: ${mapping}:3 .*"/acme/payments/dev/one/key@v2" is not valid in ssm`),
    );
  });
});

describe("values over the store's limit", () => {
  it("secrets create --file: over 64 KB for Secrets Manager, over 8 KB for SSM", async () => {
    const big = file("big-64k.txt", "a".repeat(65_537));
    expectRefused(
      await inEmptyDir(["--config", config, "secrets", "create", "/acme/payments/dev/app/big", "--file", big]),
      'the value for "/acme/payments/dev/app/big" is 65537 bytes; Secrets Manager takes at most 65536',
    );
    const ssm = file("big-8k.txt", "a".repeat(8193));
    expectRefused(
      await inEmptyDir(["--config", config, "secrets", "create", "/acme/payments/dev/app/big", "--file", ssm, "--store", "ssm"]),
      /^vaultlift: the value for "\/acme\/payments\/dev\/app\/big" is 8193 bytes; SSM Advanced parameters take at most 8192/,
    );
  });

  it("migrate: a script value over 64 KB (Secrets Manager) and over 8 KB (SSM) name the file and line", async () => {
    const sm = file("huge-values/sm/ssm-big.py", `# legacy\nput_ssm_parameter('/legacy/big/cert', '${"A".repeat(70_000)}', value_type='SecureString')\n`);
    expectRefused(
      await inEmptyDir(["--config", config, "migrate", path.dirname(sm), "--app", "big", "--apply"]),
      'ssm-big.py:2: value of 70000 bytes is over the Secrets Manager limit of 65536 bytes for "/acme/payments/dev/big/cert"',
    );
    const ssm = file("huge-values/ssm/ssm-big.py", `put_ssm_parameter('/legacy/big/cert', '${"A".repeat(9000)}', value_type='SecureString')\n`);
    expectRefused(
      await inEmptyDir(["--config", config, "migrate", path.dirname(ssm), "--app", "big", "--store", "ssm", "--apply"]),
      'ssm-big.py:1: value of 9000 bytes is over the SSM (Advanced tier) limit of 8192 bytes for "/acme/payments/dev/big/cert"',
    );
  });
});

describe("unreadable input files", () => {
  it("secrets create --file with a directory or a missing file", async () => {
    expectRefused(await inEmptyDir(["--config", config, "secrets", "create", "/acme/payments/dev/app/x", "--file", dir]), new RegExp(`^vaultlift: ${dir}: cannot read: EISDIR`));
    const missing = path.join(dir, "no-such-file");
    expectRefused(await inEmptyDir(["--config", config, "secrets", "create", "/acme/payments/dev/app/x", "--file", missing]), new RegExp(`^vaultlift: ${missing}: cannot read: ENOENT`));
  });

  it("secrets create --file with a binary file is refused, never stored with replacement characters", async () => {
    const binary = file("binary.bin", Buffer.from([0x00, 0x01, 0xff, 0xfe, 0x80, 0x41]));
    expectRefused(
      await inEmptyDir(["--config", config, "secrets", "create", "/acme/payments/dev/app/bin", "--file", binary]),
      `${binary}: not UTF-8 text (a binary file?): secrets are stored as text; base64-encode binary data first`,
    );
  });

  it("migrate with a missing --mapping file", async () => {
    const repo = path.join(dir, "ssm-repo");
    const missing = path.join(dir, "no-mapping.yaml");
    expectRefused(await inEmptyDir(["--config", config, "migrate", repo, "--app", "one", "--mapping", missing, "--apply"]), `${missing}: cannot read mapping file: no such file`);
  });

  it("a mapping file naming an unknown fingerprint names the file and line", async () => {
    const repo = path.join(dir, "ssm-repo");
    const mapping = file("unknown-fingerprint.yaml", 'version: 1\nmappings:\n  "legacy:000000000000000000000000": skip\n');
    expectRefused(
      await inEmptyDir(["--config", config, "migrate", repo, "--app", "one", "--mapping", mapping, "--apply"]),
      `${mapping}:3 fingerprint "legacy:000000000000000000000000" matches no finding in the sources`,
    );
  });
});

describe("remote places that are not there", () => {
  it("an S3 bucket that does not exist is exit 2 naming the bucket, for scan and migrate", async () => {
    expectRefused(await inEmptyDir(["--config", config, "scan", "s3://no-such-bucket/prefix/"]), /s3:\/\/no-such-bucket: no such bucket/);
    expectRefused(await inEmptyDir(["--config", config, "migrate", "s3://no-such-bucket/", "--app", "x", "--apply"]), /s3:\/\/no-such-bucket: no such bucket/);
  });

  it("an explicit endpoint that refuses connections or does not resolve is exit 2 naming the URL, quickly", async () => {
    const env = { ...aws.env(), AWS_ENDPOINT_URL: undefined };
    for (const url of ["http://127.0.0.1:9", "http://no-such-host.invalid:4566"]) {
      const started = Date.now();
      const result = await inEmptyDir(["--config", config, "secrets", "list", "--endpoint-url", url], env);
      expectRefused(result, `cannot reach the endpoint ${url} (${url.includes("invalid") ? "ENOTFOUND" : "ECONNREFUSED"}): check --endpoint-url or AWS_ENDPOINT_URL`);
      expect(Date.now() - started).toBeLessThan(15_000);
    }
    const fromEnv = await inEmptyDir(["--config", config, "migrate", path.join(dir, "ssm-repo"), "--app", "one", "--apply"], { ...aws.env(), AWS_ENDPOINT_URL: "http://127.0.0.1:9" });
    expectRefused(fromEnv, "cannot reach the endpoint http://127.0.0.1:9 (ECONNREFUSED): check --endpoint-url or AWS_ENDPOINT_URL");
  });
});

describe("migrate refused for bad input", () => {
  it("leaves no .vaultlift/ behind", async () => {
    const mapping = file("unknown-fingerprint-2.yaml", 'version: 1\nmappings:\n  "legacy:000000000000000000000000": skip\n');
    const result = await inEmptyDir(["--config", config, "migrate", path.join(dir, "ssm-repo"), "--app", "one", "--mapping", mapping, "--apply"]);
    expect(result.code).toBe(2);
    expect(result.left).toEqual([]);
  });
});

describe("files a scan cannot read as text", () => {
  let repo: string;
  beforeAll(() => {
    repo = path.join(dir, "odd-repo");
    mkdirSync(path.join(repo, "nested"), { recursive: true });
    writeFileSync(path.join(repo, "ssm-good.py"), "put_ssm_parameter('/legacy/odd/good', 'Gd7fK2pQ9xLm4Rt8Vw1Z', value_type='SecureString')\n");
    writeFileSync(path.join(repo, "blob.bin"), Buffer.from(Array.from({ length: 300_000 }, (_, index) => (index * 7919) % 256)));
    writeFileSync(path.join(repo, "huge.txt"), `password = "Hu9eFilePassw0rdXyz"\n${"x".repeat(6 * 1024 * 1024)}\n`);
    writeFileSync(path.join(repo, "latin1.py"), Buffer.concat([Buffer.from('password = "'), Buffer.from([0xe4, 0xf6, 0xfc]), Buffer.from('Latin1Passw0rdXyz"\n')]));
    symlinkSync("..", path.join(repo, "nested", "up"));
    symlinkSync("self-loop", path.join(repo, "self-loop"));
  });

  it("scan skips binary, huge and looping files, finishes, and reports only the real finding", async () => {
    const result = await runCli(["--config", config, "scan", repo, "--format", "json"], { cwd: dir, env: aws.env() });
    expect(result.code, result.stderr).toBe(1);
    const report = JSON.parse(result.stdout) as { findings: { file: string; redacted: string }[] };
    const files = report.findings.map((finding) => finding.file);
    expect(files).toContain("ssm-good.py");
    expect(files).not.toContain("blob.bin");
    expect(files).not.toContain("huge.txt");
    expect(files.filter((name) => name.includes("up/"))).toEqual([]);
  });

  it("migrate plans only the real finding, writes nothing in a dry run, and does not hang on the loops", async () => {
    const result = await runCli(["--config", config, "migrate", repo, "--app", "odd"], { cwd: dir, env: aws.env() });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("[create] /acme/payments/dev/odd/good\n");
    expect(writes()).toBe(0);
  });

  it("a file that is not UTF-8 is skipped, never imported with replacement characters", async () => {
    const result = await runCli(["--config", config, "migrate", repo, "--app", "odd"], { cwd: dir, env: aws.env() });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).not.toContain("latin1");
    expect(result.stdout).not.toContain("/odd/password");
  });
});

describe("issue 14: clear errors instead of unexpected ones", () => {
  const source = () => path.dirname(file("i14-src/.env", "DB_PASSWORD=Issue14-Passw0rd-77\n"));
  const noTmp = (folder: string) => readdirSync(folder).filter((entry) => entry.endsWith(".tmp"));

  it("a YAML alias bomb in the config", async () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...["b", "c", "d", "e", "f", "g"].map((name, index) => `${name}: &${name} [${Array(9).fill(`*${"abcdef"[index]}`).join(",")}]`)];
    const bomb = file("bomb.yaml", `${CONFIG}${levels.join("\n")}\n`);
    expectRefused(await inEmptyDir(["--config", bomb, "secrets", "list"]), `${bomb}: Excessive alias count indicates a resource exhaustion attack`);
  });

  it("a !!binary value in the config", async () => {
    const binary = file("binary.yaml", CONFIG.replace("org: acme", "org: !!binary YWNtZQ=="));
    expectRefused(await inEmptyDir(["--config", binary, "secrets", "list"]), `${binary}:1 org: Invalid input: expected string, received Buffer`);
  });

  it("--plan-out naming a folder, a file in a missing folder or below a regular file, leaves no *.tmp", async () => {
    const folder = mkdtempSync(path.join(dir, "plan-folder-"));
    expectRefused(await inEmptyDir(["--config", config, "migrate", source(), "--app", "api", "--plan-out", folder]), `--plan-out ${folder} is a directory: name a file`);
    const missing = path.join(dir, "no-such-folder", "plan.json");
    expectRefused(await inEmptyDir(["--config", config, "migrate", source(), "--app", "api", "--plan-out", missing]), `--plan-out ${missing}: the folder ${path.dirname(missing)} does not exist`);
    const underFile = path.join(file("plan-parent-is-a-file", "x\n"), "plan.json");
    expectRefused(await inEmptyDir(["--config", config, "migrate", source(), "--app", "api", "--plan-out", underFile]), `--plan-out ${underFile}: ${path.dirname(underFile)} is a file, not a folder`);
    expect(noTmp(dir)).toEqual([]);
    expect(noTmp(path.dirname(folder))).toEqual([]);
  });

  it("--journal naming a folder, a file in a missing folder or below a regular file", async () => {
    const folder = mkdtempSync(path.join(dir, "journal-folder-"));
    expectRefused(await inEmptyDir(["--config", config, "migrate", source(), "--app", "api", "--apply", "--journal", folder]), `--journal ${folder} is a directory: name a file`);
    const missing = path.join(dir, "no-such-folder", "journal.jsonl");
    expectRefused(await inEmptyDir(["--config", config, "migrate", source(), "--app", "api", "--apply", "--journal", missing]), `--journal ${missing}: the folder ${path.dirname(missing)} does not exist`);
    const underFile = path.join(file("journal-parent-is-a-file", "x\n"), "journal.jsonl");
    expectRefused(await inEmptyDir(["--config", config, "migrate", source(), "--app", "api", "--apply", "--journal", underFile]), `--journal ${underFile}: ${path.dirname(underFile)} is a file, not a folder`);
  });

  it("dump --out that is a dangling symlink", async () => {
    const link = path.join(dir, "dangling-out");
    symlinkSync(path.join(dir, "nowhere"), link);
    expectRefused(await inEmptyDir(["--config", config, "secrets", "dump", "--out", link]), `${link} is a symbolic link: choose a new DIR`);
  });

  it("dump --out that cannot be written (under a regular file, which holds for root too) names the folder and reads no value", async () => {
    const created = await runCli(["--config", config, "secrets", "create", "/acme/payments/dev/api/dump-me", "--value-stdin", "--ignore-convention"], { env: aws.env(), input: "dump-me-value" });
    expect(created.code, created.stderr).toBe(0);
    aws.counters.reset();
    const plain = file("dump-parent-is-a-file", "not a folder\n");
    for (const out of [path.join(plain, "out"), path.join(plain, "sub", "out")]) {
      expectRefused(await inEmptyDir(["--config", config, "secrets", "dump", "--out", out]), `cannot write in ${plain}: a file, not a folder`);
    }
    expect(aws.counters.total("secretsmanager.") + aws.counters.total("ssm.")).toBe(0);
    expect(readdirSync(dir).filter((entry) => entry.includes(".vaultlift-"))).toEqual([]);
  });

  it("--endpoint-url that is not a URL, and a region that is not a region", async () => {
    expectRefused(await inEmptyDir(["--config", config, "secrets", "list", "--endpoint-url", "notaurl"]), 'endpoint "notaurl" is not an http(s) URL (e.g. http://localhost:4566): check --endpoint-url or AWS_ENDPOINT_URL');
    expectRefused(
      await inEmptyDir(["--config", config, "secrets", "list", "--region", "not_a_region"]),
      'region "not_a_region" is not an AWS region name (e.g. eu-west-1): check --region, AWS_REGION or the config\'s region',
    );
  });

  it("migrate --interactive without a terminal says it needs one", async () => {
    expectRefused(await inEmptyDir(["--config", config, "migrate", source(), "--app", "api", "--interactive"]), "--interactive needs a terminal: run it in one, or decide in CI with --mapping FILE");
  });

  it("one oversized value is reported once, naming its file and line", async () => {
    const vault = path.join(dir, "oversized");
    mkdirSync(vault);
    const value = "A1b2".repeat(17_500);
    writeFileSync(path.join(vault, "ssm-dev.py"), `from vault import put_ssm_parameter\nput_ssm_parameter("/myapp/big/cert", "${value}", value_type="SecureString")\n`);
    const result = await inEmptyDir(["--config", config, "migrate", vault, "--team", "payments", "--env", "dev", "--app", "api"]);
    expectRefused(result, /^vaultlift: ssm-dev\.py:2: value of 70000 bytes is over the Secrets Manager limit of 65536 bytes for "[^"]+"$/);
    expect(result.stderr.split(value.slice(0, 16)).length).toBe(1);
  });

  it("migrate DIR --versions is refused like scan", async () => {
    expectRefused(await inEmptyDir(["--config", config, "migrate", source(), "--app", "api", "--versions"]), `--versions applies to s3:// sources, not to ${source()}`);
  });

  it("scan of a FIFO says it skipped it", async () => {
    const fifo = path.join(dir, "a-fifo");
    execFileSync("mkfifo", [fifo]);
    const result = await runCli(["scan", fifo], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('skipped "a-fifo": not a regular file (FIFO, socket or device)\n');
    expect(result.stdout).toContain("1 skipped");
  });

  it("a config with 40,000 teams validates, and a duplicate among them is named once", async () => {
    const teams = Array.from({ length: 40_000 }, (_, index) => `  - name: team${index}`);
    const big = file("big.yaml", `${CONFIG.replace("teams: [{ name: payments }]\n", "")}teams:\n${teams.join("\n")}\n  - name: team7\n`);
    expectRefused(await inEmptyDir(["--config", big, "config", "validate"]), `${big}:40007 teams[40000].name: team "team7" is declared twice`);
  });
});
