import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { LabelParameterVersionCommand } from "@aws-sdk/client-ssm";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createAwsClients, type AwsClients } from "../../scripts/aws/clients.ts";
import { storesFor, type Stores } from "../../scripts/store/index.ts";
import { BIN, REPO_ROOT, runCli } from "../helpers/run-cli.ts";
import { startLocalAws, type LocalAws } from "../../scripts/local-aws/index.ts";

// Each test spawns the real binary several times; a loaded machine needs the room.
vi.setConfig({ testTimeout: 120_000 });

let aws: LocalAws;
let clients: AwsClients;
let stores: Stores;
let env: Record<string, string>;
const scratch = mkdtempSync(path.join(os.tmpdir(), "vaultlift-operate-"));

const vaultlift = (args: string[], input?: string) => runCli(args, { env, input });

beforeAll(async () => {
  aws = await startLocalAws({ s3: false });
  env = { ...aws.env(), NODE_NO_WARNINGS: "1" };
  clients = createAwsClients({ endpoint: aws.endpoint, region: aws.region });
  Object.assign(process.env, aws.env());
  stores = storesFor(clients);
});
afterAll(async () => {
  clients.destroy();
  await aws.stop();
});
beforeEach(() => aws.counters.reset());

describe("secrets get", () => {
  const db = "/acme/payments/dev/api/db";

  beforeAll(async () => {
    await stores.secretsmanager.write(db, JSON.stringify({ user: "app", password: "first pass" }));
    await stores.secretsmanager.write(db, JSON.stringify({ user: "app", password: "s3cr3t 'quoted' $x" }));
    await stores.ssm.write("/acme/payments/dev/api/token", "t-1");
    await stores.ssm.write("/acme/payments/dev/api/token", "t-2\n");
  });

  it("prints the raw value, no newline added off a terminal, with one API call", async () => {
    const result = await vaultlift(["secrets", "get", db]);
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(result.stdout).toBe(JSON.stringify({ user: "app", password: "s3cr3t 'quoted' $x" }));
    expect(aws.counters.byOperation()).toEqual({ "secretsmanager.GetSecretValue": 1 });
  });

  it("--field works inside $(...) in a real shell", async () => {
    const script = `pw="$(node "${BIN}" secrets get ${db} --field password)" && printf '[%s]' "$pw"`;
    const { stdout } = await promisify(execFile)("bash", ["-c", script], { cwd: REPO_ROOT, env: { ...process.env, ...env } });
    expect(stdout).toBe("[s3cr3t 'quoted' $x]");
  });

  it("selects versions by stage, selector and flag, in both stores", async () => {
    const previous = JSON.stringify({ user: "app", password: "first pass" });
    expect((await vaultlift(["secrets", "get", `${db}:AWSPREVIOUS`])).stdout).toBe(previous);
    expect((await vaultlift(["secrets", "get", `${db}~1`])).stdout).toBe(previous);
    expect((await vaultlift(["secrets", "get", db, "--stage", "AWSPREVIOUS", "--field", "password"])).stdout).toBe("first pass");
    const versions = JSON.parse((await vaultlift(["secrets", "versions", db, "--format", "json"])).stdout) as { id: string; stages: string[] }[];
    const old = versions.find((v) => v.stages.includes("AWSPREVIOUS"))?.id;
    expect((await vaultlift(["secrets", "get", `${db}#${old}`])).stdout).toBe(previous);
    expect((await vaultlift(["secrets", "get", db, "--version-id", old as string])).stdout).toBe(previous);

    const token = "/acme/payments/dev/api/token";
    expect((await vaultlift(["secrets", "get", token])).stdout).toBe("t-2\n");
    expect((await vaultlift(["secrets", "get", token, "--version", "1"])).stdout).toBe("t-1");
    expect((await vaultlift(["secrets", "get", `${token}~1`])).stdout).toBe("t-1");
    await (await clients.ssm()).send(new LabelParameterVersionCommand({ Name: token, ParameterVersion: 1, Labels: ["blue"] }));
    expect((await vaultlift(["secrets", "get", `${token}:blue`])).stdout).toBe("t-1");
    expect((await vaultlift(["secrets", "get", token, "--label", "blue"])).stdout).toBe("t-1");
  });

  it("names what is wrong in one line: not found, no such key, no such version", async () => {
    const missing = await vaultlift(["secrets", "get", "/acme/payments/dev/api/none"]);
    expect(missing).toMatchObject({ code: 2, stdout: "", stderr: 'vaultlift: secret "/acme/payments/dev/api/none" not found\n' });
    const noKey = await vaultlift(["secrets", "get", db, "--field", "pwd"]);
    expect(noKey).toMatchObject({ code: 2, stderr: `vaultlift: "${db}" has no key "pwd" (keys: user, password)\n` });
    const noVersion = await vaultlift(["secrets", "get", `${db}~5`]);
    expect(noVersion.stderr).toBe(`vaultlift: secret "${db}" has no version ~5\n`);
  });

  it("tells to restore a secret scheduled for deletion", async () => {
    const name = "/acme/payments/dev/api/gone";
    await stores.secretsmanager.write(name, "v");
    await stores.secretsmanager.delete(name);
    const result = await vaultlift(["secrets", "get", name]);
    expect(result).toMatchObject({ code: 2, stderr: `vaultlift: secret "${name}" is scheduled for deletion: run \`vaultlift secrets restore ${name}\` first\n` });
  });
});

describe("secrets list and versions", () => {
  beforeAll(async () => {
    await stores.secretsmanager.write("/acme/search/dev/web/key", "k", { tags: { owner: "search" } });
    await stores.secretsmanager.write("/acme/search/dev/web/old", "o");
    await stores.secretsmanager.delete("/acme/search/dev/web/old", { recoveryDays: 7 });
    await stores.ssm.write("/acme/search/dev/web/param", "p", { tags: { tier: "std" } });
  });

  it("lists both stores with tags, deleted ones only when asked", async () => {
    const table = await vaultlift(["secrets", "list", "--prefix", "/acme/search/"]);
    expect(table.code).toBe(0);
    expect(table.stdout.split("\n")[0]).toMatch(/^NAME\s+STORE\s+LAST CHANGED\s+TAGS\s+DELETION$/);
    expect(table.stdout).toMatch(/\/acme\/search\/dev\/web\/key\s+secretsmanager\s+\S+ \S+\s+owner=search/);
    expect(table.stdout).toMatch(/\/acme\/search\/dev\/web\/param\s+ssm\s+\S+ \S+\s+tier=std/);
    expect(table.stdout).not.toContain("web/old");
    const json = JSON.parse((await vaultlift(["secrets", "list", "--prefix", "/acme/search/", "--include-deleted", "--format", "json"])).stdout) as {
      name: string;
      store: string;
      deletionDate?: string;
    }[];
    expect(json.map((s) => [s.name, s.store, Boolean(s.deletionDate)])).toEqual([
      ["/acme/search/dev/web/key", "secretsmanager", false],
      ["/acme/search/dev/web/old", "secretsmanager", true],
      ["/acme/search/dev/web/param", "ssm", false],
    ]);
  });

  it("lists versions with stages and SSM version numbers", async () => {
    await stores.ssm.write("/acme/search/dev/web/param", "p2");
    const ssm = JSON.parse((await vaultlift(["secrets", "versions", "/acme/search/dev/web/param", "--format", "json"])).stdout) as { id: string }[];
    expect(ssm.map((v) => v.id)).toEqual(["2", "1"]);
    const sm = await vaultlift(["secrets", "versions", "/acme/search/dev/web/key"]);
    expect(sm.stdout).toMatch(/^VERSION\s+STAGES\s+CREATED\n\S+\s+AWSCURRENT\s+\d{4}-/);
  });
});

describe("secrets dump", () => {
  beforeAll(async () => {
    for (let i = 0; i < 105; i++) await stores.secretsmanager.write(`/acme/dump/dev/app/s${String(i).padStart(3, "0")}`, `sm-${i}`);
    for (let i = 0; i < 12; i++) await stores.ssm.write(`/acme/dump/dev/app/p${String(i).padStart(2, "0")}`, `ssm-${i}`);
  });

  it("prints every secret as JSON with paged lists and batched reads", async () => {
    const result = await vaultlift(["secrets", "dump", "--prefix", "/acme/dump/"]);
    expect(result.code).toBe(0);
    const values = JSON.parse(result.stdout) as { name: string; store: string; value: string }[];
    expect(values).toHaveLength(117);
    expect(values.find((v) => v.name === "/acme/dump/dev/app/s042")).toMatchObject({ store: "secretsmanager", value: "sm-42" });
    expect(values.find((v) => v.name === "/acme/dump/dev/app/p11")).toMatchObject({ store: "ssm", value: "ssm-11" });
    expect(aws.counters.byOperation()).toEqual({
      "secretsmanager.ListSecrets": 2,
      "secretsmanager.BatchGetSecretValue": 6,
      "ssm.DescribeParameters": 1,
      "ssm.GetParameters": 2,
    });
  });

  it("writes one 0600 file per secret under a new 0700 DIR", async () => {
    const out = path.join(scratch, "dump-a");
    const result = await vaultlift(["secrets", "dump", "--prefix", "/acme/dump/", "--out", out]);
    expect(result).toMatchObject({ code: 0, stdout: "" });
    expect(statSync(out).mode & 0o777).toBe(0o700);
    const file = path.join(out, "secretsmanager/acme/dump/dev/app/s007");
    expect(readFileSync(file, "utf8")).toBe("sm-7");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(out, "secretsmanager/acme/dump")).mode & 0o777).toBe(0o700);
    expect(readFileSync(path.join(out, "ssm/acme/dump/dev/app/p03"), "utf8")).toBe("ssm-3");
    expect(readdirSync(path.join(out, "secretsmanager/acme/dump/dev/app"))).toHaveLength(105);
  });

  it("refuses a DIR inside a git work tree unless --force", async () => {
    const repo = path.join(scratch, "repo");
    mkdirSync(path.join(repo, ".git"), { recursive: true });
    const refused = await vaultlift(["secrets", "dump", "--prefix", "/acme/dump/dev/app/p0", "--out", path.join(repo, "secrets")]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/inside the git work tree .*--force/);
    expect(existsSync(path.join(repo, "secrets"))).toBe(false);
    const forced = await vaultlift(["secrets", "dump", "--prefix", "/acme/dump/dev/app/p0", "--out", path.join(repo, "secrets"), "--force"]);
    expect(forced.code).toBe(0);
    expect(readdirSync(path.join(repo, "secrets/ssm/acme/dump/dev/app"))).toHaveLength(10);
  });

  it("leaves nothing half-written when a file cannot be placed, and refuses a non-empty DIR", async () => {
    await stores.secretsmanager.write("/acme/clash/dev/app/a", "file");
    await stores.secretsmanager.write("/acme/clash/dev/app/a/b", "under it");
    const out = path.join(scratch, "clash");
    const result = await vaultlift(["secrets", "dump", "--prefix", "/acme/clash/", "--out", out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/both a file and a directory/);
    expect(readdirSync(scratch).filter((entry) => entry.includes("clash"))).toEqual([]);

    const full = path.join(scratch, "full");
    mkdirSync(full);
    writeFileSync(path.join(full, "keep"), "mine");
    const refused = await vaultlift(["secrets", "dump", "--prefix", "/acme/dump/dev/app/p0", "--out", full]);
    expect(refused).toMatchObject({ code: 2 });
    expect(readdirSync(full)).toEqual(["keep"]);
  });
});

describe("secrets create and update", () => {
  it("creates from stdin and from a file, in either store", async () => {
    const file = path.join(scratch, "value.json");
    writeFileSync(file, '{"a":1}');
    expect((await vaultlift(["secrets", "create", "/acme/payments/dev/cu/one", "--value-stdin"], "from stdin")).code).toBe(0);
    expect((await vaultlift(["secrets", "create", "/acme/payments/dev/cu/two", "--file", file, "--store", "ssm", "--tag", "owner=me"])).code).toBe(0);
    expect((await stores.secretsmanager.read("/acme/payments/dev/cu/one"))?.value).toBe("from stdin");
    expect(await stores.ssm.describe("/acme/payments/dev/cu/two")).toMatchObject({ type: "SecureString", tier: "Standard" });
    expect((await stores.ssm.read("/acme/payments/dev/cu/two"))?.value).toBe('{"a":1}');
  });

  it("refuses an existing name, a name outside the convention, and an oversized value, the last two before any call", async () => {
    const exists = await vaultlift(["secrets", "create", "/acme/payments/dev/cu/one", "--value-stdin"], "again");
    expect(exists).toMatchObject({ code: 2 });
    expect(exists.stderr).toMatch(/already exists in Secrets Manager: use `vaultlift secrets update/);
    aws.counters.reset();
    const convention = await vaultlift(["secrets", "create", "/elsewhere/x", "--value-stdin"], "v");
    expect(convention.stderr).toMatch(/does not follow the naming template \/\{org\}/);
    const big = await vaultlift(["secrets", "create", "/acme/payments/dev/cu/big", "--value-stdin", "--store", "ssm"], "x".repeat(9000));
    expect(big).toMatchObject({ code: 2, stderr: 'vaultlift: the value for "/acme/payments/dev/cu/big" is 9000 bytes; SSM Advanced parameters take at most 8192; use Secrets Manager (65,536)\n' });
    const tooBigForAny = await vaultlift(["secrets", "update", "/acme/payments/dev/cu/one", "--value-stdin"], "x".repeat(65_537));
    expect(tooBigForAny.stderr).toMatch(/65537 bytes; Secrets Manager takes at most 65536/);
    const both = await vaultlift(["secrets", "create", "/acme/payments/dev/cu/x", "--value-stdin", "--file", "f"], "v");
    expect(both.code).toBe(2);
    expect(aws.counters.total()).toBe(0);
  });

  it("update writes only when the value changed", async () => {
    aws.counters.reset();
    const same = await vaultlift(["secrets", "update", "/acme/payments/dev/cu/one", "--value-stdin"], "from stdin");
    expect(same).toMatchObject({ code: 0, stdout: "no change: /acme/payments/dev/cu/one\n" });
    expect(aws.counters.byOperation()).toEqual({ "secretsmanager.GetSecretValue": 1 });
    aws.counters.reset();
    const changed = await vaultlift(["secrets", "update", "/acme/payments/dev/cu/one", "--value-stdin"], "new value");
    expect(changed.stdout).toMatch(/^updated \/acme\/payments\/dev\/cu\/one in secretsmanager \(version \S+\)\n$/);
    expect(aws.counters.byOperation()).toEqual({ "secretsmanager.GetSecretValue": 1, "secretsmanager.PutSecretValue": 1 });
    const ssm = await vaultlift(["secrets", "update", "/acme/payments/dev/cu/two", "--value-stdin"], '{"a":2}');
    expect(ssm.stdout).toBe("updated /acme/payments/dev/cu/two in ssm (version 2)\n");
    const missing = await vaultlift(["secrets", "update", "/acme/payments/dev/cu/none", "--value-stdin"], "v");
    expect(missing).toMatchObject({ code: 2, stderr: 'vaultlift: secret "/acme/payments/dev/cu/none" not found\n' });
  });
});

describe("secrets delete and restore", () => {
  it("schedules, restores, and force-deletes a Secrets Manager secret", async () => {
    const name = "/acme/payments/dev/del/sm";
    await stores.secretsmanager.write(name, "v");
    const scheduled = await vaultlift(["secrets", "delete", name, "--recovery-days", "7"]);
    expect(scheduled.stdout).toBe(`scheduled ${name} for deletion in 7 days: \`vaultlift secrets restore ${name}\` cancels\n`);
    expect((await vaultlift(["secrets", "delete", name])).stderr).toMatch(/already scheduled for deletion/);
    expect((await vaultlift(["secrets", "restore", name])).stdout).toBe(`restored ${name}\n`);
    expect((await vaultlift(["secrets", "get", name])).stdout).toBe("v");
    expect((await vaultlift(["secrets", "delete", name, "--recovery-days", "3"])).stderr).toMatch(/7 to 30 days/);
    expect((await vaultlift(["secrets", "delete", name, "--force"])).stdout).toBe(`deleted ${name} from secretsmanager, without recovery\n`);
    expect(await stores.secretsmanager.describe(name)).toBeUndefined();
  });

  it("deletes an SSM parameter only with --force, and has nothing to restore", async () => {
    const name = "/acme/payments/dev/del/ssm";
    await stores.ssm.write(name, "v");
    expect((await vaultlift(["secrets", "delete", name])).stderr).toMatch(/cannot be recovered after deletion: pass --force/);
    expect((await vaultlift(["secrets", "restore", name])).stderr).toMatch(/nothing to restore/);
    expect((await vaultlift(["secrets", "delete", name, "--force"])).code).toBe(0);
    expect(await stores.ssm.describe(name)).toBeUndefined();
  });
});

describe("secrets diff", () => {
  const name = "/acme/payments/dev/diff/db";

  beforeAll(async () => {
    await stores.secretsmanager.write(name, JSON.stringify({ user: "app", password: "old-password-1234", port: 5432 }));
    await stores.secretsmanager.write(name, JSON.stringify({ user: "app", password: "new-password-5678", host: "db.internal" }));
    await stores.secretsmanager.write(name, JSON.stringify({ user: "app", password: "new-password-5678", host: "db.internal" }).replace("app", "api"));
  });

  it("compares AWSPREVIOUS with AWSCURRENT key by key, masked, exit 1", async () => {
    await stores.secretsmanager.write("/acme/payments/dev/diff/two", JSON.stringify({ a: "1", b: { c: "same", d: "x" } }));
    await stores.secretsmanager.write("/acme/payments/dev/diff/two", JSON.stringify({ a: "1", b: { c: "same", d: "y" }, e: "new" }));
    const result = await vaultlift(["secrets", "diff", "/acme/payments/dev/diff/two"]);
    expect(result.code).toBe(1);
    const lines = result.stdout.split("\n");
    expect(lines[0]).toMatch(/^--- \/acme\/payments\/dev\/diff\/two \(secretsmanager AWSPREVIOUS, version \S+\)$/);
    expect(lines[1]).toMatch(/^\+\+\+ \/acme\/payments\/dev\/diff\/two \(secretsmanager AWSCURRENT, version \S+\)$/);
    expect(lines.slice(2)).toEqual(["~ b.d: ********(<8) -> ********(<8)", "+ e: ********(<8)", ""]);
  });

  it("compares NAME~2 with NAME, and shows values only when asked", async () => {
    const masked = await vaultlift(["secrets", "diff", `${name}~2`, name]);
    expect(masked.code).toBe(1);
    expect(masked.stdout).toContain("~ password: ********(17-32) -> ********(17-32)");
    expect(masked.stdout).toContain("- port: ********(<8)");
    expect(masked.stdout).not.toContain("5432");
    const shown = await vaultlift(["secrets", "diff", name, "~2", "AWSCURRENT", "--show-values"]);
    expect(shown.stdout.split("\n").slice(2)).toEqual([
      "+ host: db.internal",
      "~ password: old-password-1234 -> new-password-5678",
      "- port: 5432",
      "~ user: app -> api",
      "",
    ]);
  });

  it("exits 0 when the versions are the same, and diffs text values line by line", async () => {
    expect((await vaultlift(["secrets", "diff", name, "AWSCURRENT", `:AWSCURRENT`])).code).toBe(0);
    await stores.ssm.write("/acme/payments/dev/diff/text", "line one\nline two\n");
    await stores.ssm.write("/acme/payments/dev/diff/text", "line one\nline 2\n");
    const text = await vaultlift(["secrets", "diff", "/acme/payments/dev/diff/text", "--show-values"]);
    expect(text.code).toBe(1);
    expect(text.stdout.split("\n").slice(2)).toEqual(["  line one", "- line two", "+ line 2", "  ", ""]);
  });
});
