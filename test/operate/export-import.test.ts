import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { workspaceWith } from "../helpers/loopback.ts";
import { runCli } from "../helpers/run-cli.ts";
import { startLocalAws, type LocalAws } from "../../scripts/local-aws/index.ts";
import { CONFIG } from "../migrate/fixtures.ts";

const PREFIX = "/acme/payments/prod/api/";
const VALUES = { db: 'Imp0rt-"db"-pa55\\word', api: "imp-api-key-8c7d6e5f", multi: "line one\nline two" };

let aws: LocalAws;
let dir: string;
let config: string;

beforeAll(async () => {
  aws = await startLocalAws();
  dir = await workspaceWith("export", CONFIG);
  config = path.join(dir, "vaultlift.yaml");
});

afterAll(async () => {
  await aws?.stop();
});

const cli = (args: string[]) => runCli(["--config", config, ...args], { cwd: dir, env: { ...aws.env(), VAULTLIFT_STATE_DIR: path.join(dir, "state") } });
const noValues = (text: string) => {
  for (const value of Object.values(VALUES)) expect(text).not.toContain(value);
};

describe("vaultlift secrets import", () => {
  it("a dotenv file is a dry run by default, then --apply writes each key once under the prefix, verified and journalled", async () => {
    const file = path.join(dir, "app.env");
    writeFileSync(file, `DB_PASSWORD="${VALUES.db.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"\nAPI_KEY=${VALUES.api}\nMULTI_LINE="line one\\nline two"\n`);
    aws.counters.reset();
    const dry = await cli(["secrets", "import", file, "--prefix", PREFIX]);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toBe(`[create] ${PREFIX}api-key\n[create] ${PREFIX}db-password\n[create] ${PREFIX}multi-line\n`);
    expect(dry.stderr).toContain("dry run: 3 to write");
    expect(aws.counters.writes()).toBe(0);
    const applied = await cli(["secrets", "import", file, "--prefix", PREFIX, "--apply"]);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stderr).toMatch(/created 3, modified 0, unchanged 0, verified 3, failed 0/);
    noValues(dry.stdout + dry.stderr + applied.stdout + applied.stderr + readFileSync(path.join(dir, "state", "journal.jsonl"), "utf8"));
    const sm = new SecretsManagerClient({ endpoint: aws.endpoint, region: aws.region, credentials: aws.credentials });
    expect((await sm.send(new GetSecretValueCommand({ SecretId: `${PREFIX}db-password` }))).SecretString).toBe(VALUES.db);
    expect((await sm.send(new GetSecretValueCommand({ SecretId: `${PREFIX}multi-line` }))).SecretString).toBe(VALUES.multi);
    sm.destroy();
    aws.counters.reset();
    const again = await cli(["secrets", "import", file, "--prefix", PREFIX, "--apply"]);
    expect(again.stdout).not.toContain("[create]");
    expect(aws.counters.writes()).toBe(0);
  });

  it("a re-import after `secrets update` is [drift], exit 1, nothing written; --force overwrites", async () => {
    for (const store of ["secretsmanager", "ssm"] as const) {
      const file = path.join(dir, `drift-${store}.env`);
      writeFileSync(file, "DB_PASSWORD=first-import-pa55-7f3e\nAPI_KEY=unchanged-key-1a2b3c\n");
      const storeFlag = store === "ssm" ? ["--store", "ssm"] : [];
      const name = `/acme/payments/prod/drift-${store}/db-password`;
      const first = await cli(["secrets", "import", file, "--prefix", `/acme/payments/prod/drift-${store}/`, ...storeFlag, "--apply"]);
      expect(first.code, first.stderr).toBe(0);
      const rotated = await runCli(["--config", config, "secrets", "update", name, "--value-stdin"], { cwd: dir, env: { ...aws.env(), VAULTLIFT_STATE_DIR: path.join(dir, "state") }, input: "rotated-in-store-9d8c" });
      expect(rotated.code, rotated.stderr).toBe(0);
      aws.counters.reset();
      const again = await cli(["secrets", "import", file, "--prefix", `/acme/payments/prod/drift-${store}/`, ...storeFlag, "--apply"]);
      expect(again.code, again.stderr).toBe(1);
      const label = store === "ssm" ? `${name} (ssm)` : name;
      expect(again.stdout).toContain(`[drift] ${label}: changed in the store since migration`);
      expect(again.stdout).toContain("[no change]");
      expect(aws.counters.writes()).toBe(0);
      const forced = await cli(["secrets", "import", file, "--prefix", `/acme/payments/prod/drift-${store}/`, ...storeFlag, "--apply", "--force"]);
      expect(forced.code, forced.stderr).toBe(0);
      expect(forced.stdout).toContain(`[modified] ${label}`);
      const read = await cli(["secrets", "get", name]);
      expect(read.stdout.trim()).toBe("first-import-pa55-7f3e");
    }
  });

  it("bad input is exit 2 naming the file, before any call", async () => {
    const bad = path.join(dir, "bad.json");
    writeFileSync(bad, "{ not json");
    aws.counters.reset();
    const result = await cli(["secrets", "import", bad, "--prefix", PREFIX]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("bad.json: not valid JSON");
    expect(aws.counters.total()).toBe(0);
  });
});

describe("vaultlift secrets export", () => {
  it("dotenv to a 0600 file that vaultlift exec --env-file reads back exactly", async () => {
    const out = path.join(dir, "exported.env");
    const result = await cli(["secrets", "export", "--prefix", PREFIX, "--format", "dotenv", "--out", out]);
    expect(result.code, result.stderr).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    noValues(result.stdout + result.stderr);
    const print = "process.stdout.write(JSON.stringify([process.env.DB_PASSWORD, process.env.API_KEY, process.env.MULTI_LINE]))";
    const run = await cli(["exec", "--env-file", out, "--", process.execPath, "-e", print]);
    expect(JSON.parse(run.stdout)).toEqual([VALUES.db, VALUES.api, VALUES.multi]);
  });

  it("JSON to a pipe round-trips through import under another prefix", async () => {
    const result = await cli(["secrets", "export", "--prefix", PREFIX, "--format", "json"]);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ "api-key": VALUES.api, "db-password": VALUES.db, "multi-line": VALUES.multi });
    const file = path.join(dir, "copy.json");
    writeFileSync(file, result.stdout);
    const imported = await cli(["secrets", "import", file, "--prefix", "/acme/payments/prod/copy/", "--apply"]);
    expect(imported.code, imported.stderr).toBe(0);
    const yaml = await cli(["secrets", "export", "--prefix", "/acme/payments/prod/copy/", "--format", "yaml"]);
    expect(yaml.stdout).toContain(`api-key: ${VALUES.api}`);
  });

  it("refuses a file inside a git work tree", async () => {
    const repo = path.join(dir, "repo");
    mkdirSync(repo);
    execFileSync("git", ["init", "-q"], { cwd: repo });
    const result = await cli(["secrets", "export", "--prefix", PREFIX, "--out", path.join(repo, "secrets.env")]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("inside the git work tree");
  });
});
