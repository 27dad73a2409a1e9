/**
 * Canary values, one per kind of secret, planted in a legacy repository and put with
 * `secrets create`, then the whole journey through the real CLI: no canary (raw, base64,
 * hex, URL- or JSON-escaped, or its unredacted part) appears in any stdout, stderr or file
 * vaultlift writes, except from the commands that exist to show values (get, dump,
 * diff --show-values). Private files are 0600 in 0700 directories, and the synthesized
 * stacks carry no secret value.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { App } from "cdktf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../core/config.ts";
import { addBootstrapStacks } from "../../stacks/app.ts";
import { REPO_ROOT, runCli } from "../helpers/run-cli.ts";
import { startLocalAws, type LocalAws } from "../../scripts/local-aws/index.ts";
import { seeded } from "../../scripts/local-aws/random.ts";
import { CONFIG } from "../reliability/legacy-world.ts";

const random = seeded(99);
const token = (length: number) =>
  Array.from({ length }, () => "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"[Math.floor(random() * 57)]).join("");
/** One canary per kind; each is long and random, so any 12 characters of it are unique. */
const CANARY = {
  code: `Cnry${token(24)}`,
  dotenv: `Cnry${token(24)}`,
  dotenvOld: `Cnry${token(24)}`,
  terraform: `Cnry${token(24)}`,
  vault: `Cnry${token(24)}`,
  created: `Cnry${token(24)}`,
  rotated: `Cnry${token(24)}`,
};

let aws: LocalAws;
let work: string;
let repo: string;
const outputs: { command: string; text: string }[] = [];

async function vaultlift(args: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const result = await runCli(["--config", path.join(work, "vaultlift.yaml"), ...args], {
    cwd: work,
    env: { ...aws.env(), VAULTLIFT_STATE_DIR: path.join(work, ".vaultlift") },
    ...(input !== undefined ? { input } : {}),
  });
  outputs.push({ command: args.join(" "), text: `${result.stdout}\n${result.stderr}` });
  return result;
}

function writeRepo(): void {
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
    writeFileSync(path.join(repo, file), text);
  };
  const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], { cwd: repo, stdio: "ignore" });
  mkdirSync(repo, { recursive: true });
  git("init", "-q", "-b", "main");
  write(".env", `DB_PASSWORD=${CANARY.dotenvOld}\n`);
  git("add", "-A");
  git("commit", "-qm", "first");
  write(".env", `DB_PASSWORD=${CANARY.dotenv}\nLOG_LEVEL=info\n`);
  write("app/settings.py", `import os\npassword = "${CANARY.code}"\n`);
  write(
    "terraform/secured_modules/db.tf",
    [
      'resource "aws_secretsmanager_secret" "billing_db" {',
      '  name = "/legacy/billing/db"',
      "}",
      'resource "aws_secretsmanager_secret_version" "billing_db" {',
      "  secret_id     = aws_secretsmanager_secret.billing_db.id",
      `  secret_string = "${CANARY.terraform}"`,
      "}",
      "",
    ].join("\n"),
  );
  write("vault/ssm-billing.py", `put_ssm_parameter('/legacy/billing/vault_key', '${CANARY.vault}', value_type='SecureString')\n`);
  git("add", "-A");
  git("commit", "-qm", "second");
}

/** The forms a leaked value could take. */
function encodings(value: string): string[] {
  return [
    value,
    value.slice(4, 16),
    value.slice(-12),
    Buffer.from(value).toString("base64"),
    Buffer.from(value).toString("base64url"),
    Buffer.from(value).toString("hex"),
    JSON.stringify(value).slice(1, -1),
    encodeURIComponent(value),
  ];
}

function leaks(text: string): string[] {
  return Object.entries(CANARY).flatMap(([kind, value]) => (encodings(value).some((form) => text.includes(form)) ? [kind] : []));
}

function filesUnder(dir: string, skip: readonly string[]): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (skip.includes(full)) return [];
    return entry.isDirectory() ? filesUnder(full, skip) : [full];
  });
}

const mode = (file: string) => statSync(file).mode & 0o777;

beforeAll(async () => {
  aws = await startLocalAws();
  work = mkdtempSync(path.join(tmpdir(), "vaultlift-canary-"));
  repo = path.join(work, "legacy");
  writeFileSync(path.join(work, "vaultlift.yaml"), CONFIG);
  writeRepo();
});

afterAll(async () => {
  await aws?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe("canary values never leak", () => {
  it("the whole journey: scan, migrate, operate and teardown, with --debug too", async () => {
    const reports = path.join(work, "reports");
    mkdirSync(reports);
    const target = ["--app", "billing"];

    expect((await vaultlift(["scan", repo])).code).toBe(1);
    expect((await vaultlift(["scan", repo, "--format", "json"])).code).toBe(1);
    expect((await vaultlift(["scan", repo, "--format", "sarif"])).code).toBe(1);
    expect((await vaultlift(["scan", repo, "--format", "json", "--output", path.join(reports, "scan.json")])).code).toBe(1);
    expect((await vaultlift(["scan", repo, "--format", "sarif", "--output", path.join(reports, "scan.sarif")])).code).toBe(1);
    const history = await vaultlift(["scan", repo, "--history", "--format", "json", "--output", path.join(reports, "history.json")]);
    expect(history.code).toBe(1);
    const historyReport = JSON.parse(readFileSync(path.join(reports, "history.json"), "utf8")) as { findings: { commit?: string }[] };
    expect(historyReport.findings.filter((finding) => finding.commit).length).toBeGreaterThan(0);
    expect((await vaultlift(["scan", repo, "--history", "--debug"])).code).toBe(1);
    expect((await vaultlift(["scan", repo, "--baseline", path.join(reports, "scan.json")])).code).toBe(0);

    const journal = path.join(work, "journal", "journal.jsonl");
    mkdirSync(path.dirname(journal), { mode: 0o700 });
    const plan = path.join(reports, "plan.json");
    const dry = await vaultlift(["migrate", repo, ...target, "--plan-out", plan, "--debug"]);
    expect(dry.code, dry.stderr).toBe(0);
    // All five planted kinds are planned (the old .env value is history only).
    expect(dry.stdout.split("\n").filter((line) => line.startsWith("[create]"))).toHaveLength(4);
    const applied = await vaultlift(["migrate", repo, ...target, "--apply", "--journal", journal, "--debug"]);
    expect(applied.code, applied.stderr).toBe(0);
    expect((await vaultlift(["migrate", repo, ...target, "--apply", "--journal", journal])).code).toBe(0);

    const name = "/acme/payments/dev/billing/rotated";
    expect((await vaultlift(["secrets", "create", name, "--value-stdin"], CANARY.created)).code).toBe(0);
    const exists = await vaultlift(["secrets", "create", name, "--value-stdin", "--debug"], CANARY.rotated);
    expect(exists.code).toBe(2);
    expect((await vaultlift(["secrets", "update", name, "--value-stdin"], CANARY.rotated)).code).toBe(0);
    expect((await vaultlift(["secrets", "list", "--prefix", "/acme/"])).code).toBe(0);
    expect((await vaultlift(["secrets", "list", "--format", "json", "--debug"])).code).toBe(0);
    expect((await vaultlift(["secrets", "versions", name, "--format", "json"])).code).toBe(0);
    const diff = await vaultlift(["secrets", "diff", name, "--debug"]);
    expect(diff.code).toBe(1);

    // The explicit asks print values (checked here, left out of the leak check).
    const dumpDir = path.join(work, "dump");
    const dump = await runCli(["--config", path.join(work, "vaultlift.yaml"), "secrets", "dump", "--prefix", "/acme/", "--out", dumpDir], { cwd: work, env: aws.env() });
    expect(dump.code, dump.stderr).toBe(0);
    const dumped = filesUnder(dumpDir, []);
    expect(dumped.map((file) => readFileSync(file, "utf8")).sort()).toEqual(
      [CANARY.code, CANARY.dotenv, CANARY.terraform, CANARY.vault, CANARY.rotated].sort(),
    );
    for (const file of dumped) expect(mode(file), file).toBe(0o600);
    // The detector finds what is there: the dump holds the values it was asked for.
    expect(leaks(dumped.map((file) => readFileSync(file, "utf8")).join("\n"))).toHaveLength(5);
    for (let d = path.dirname(dumped[0] as string); d.startsWith(dumpDir); d = path.dirname(d)) expect(mode(d), d).toBe(0o700);

    const teardown = await vaultlift(["teardown", "--prefix", "/acme/payments/dev/", "--force-delete-without-recovery", "--yes", "--debug"]);
    expect(teardown.code, teardown.stderr).toBe(0);
    expect(aws.stores.secretsManager.size).toBe(0);

    const found = outputs.flatMap(({ command, text }) => leaks(text).map((kind) => `${kind} in the output of: vaultlift ${command}`));
    const written = filesUnder(work, [repo, dumpDir]);
    expect(written.map((file) => path.relative(work, file))).toEqual(
      expect.arrayContaining(["reports/scan.json", "reports/scan.sarif", "reports/history.json", "reports/plan.json", "journal/journal.jsonl", ".vaultlift/hash-key"]),
    );
    for (const file of written) found.push(...leaks(readFileSync(file, "latin1")).map((kind) => `${kind} in ${path.relative(work, file)}`));
    expect(found).toEqual([]);

    expect(mode(plan)).toBe(0o600);
    expect(mode(journal)).toBe(0o600);
    expect(mode(path.join(work, ".vaultlift"))).toBe(0o700);
    expect(mode(path.join(work, ".vaultlift", "hash-key"))).toBe(0o600);
  }, 300_000);

  it("a default journal is created 0600 in a 0700 .vaultlift/", async () => {
    const state = path.join(work, ".vaultlift");
    const journal = path.join(state, "journal.jsonl");
    const result = await vaultlift(["migrate", repo, "--app", "billing2", "--apply"]);
    expect(result.code, result.stderr).toBe(0);
    expect(mode(journal)).toBe(0o600);
    expect(mode(state)).toBe(0o700);
    expect(leaks(readFileSync(journal, "latin1"))).toEqual([]);
  }, 120_000);
});

describe("synthesized stacks", () => {
  it("hold no third-party value and no random value: random secrets are ephemeral and write-only", () => {
    const config = loadConfig(path.join(REPO_ROOT, "vaultlift.yaml"));
    const outdir = mkdtempSync(path.join(tmpdir(), "vaultlift-synth-"));
    try {
      const app = new App({ outdir });
      addBootstrapStacks(app, config);
      app.synth();
      const stacks = readdirSync(path.join(outdir, "stacks"));
      const texts = stacks.map((stack) => readFileSync(path.join(outdir, "stacks", stack, "cdk.tf.json"), "utf8"));
      const resources = texts.map((text) => (JSON.parse(text) as { resource?: Record<string, Record<string, Record<string, unknown>>> }).resource ?? {});
      for (const byType of resources) {
        // A random value generated as a resource would be kept in Terraform state.
        expect(Object.keys(byType).filter((type) => type.startsWith("random_"))).toEqual([]);
        for (const version of Object.values(byType.aws_secretsmanager_secret_version ?? {})) {
          expect(version.secret_string).toBeUndefined();
          expect(version.secret_binary).toBeUndefined();
          expect(String(version.secret_string_wo)).toMatch(/^\$\{.*\bephemeral\.random_password\.\S+\}$/);
        }
        for (const parameter of Object.values(byType.aws_ssm_parameter ?? {})) {
          if (parameter.value === undefined) continue;
          // A placeholder the stack never updates; the value is put by migrate or secrets update.
          expect((parameter.lifecycle as { ignore_changes?: string[] } | undefined)?.ignore_changes).toContain("value");
        }
      }
      const thirdParty = config.secrets.filter((secret) => secret.kind === "third-party").map((secret) => secret.fullName);
      expect(thirdParty.length).toBeGreaterThan(0);
      const versions = resources.flatMap((byType) => Object.values(byType.aws_secretsmanager_secret_version ?? {}));
      expect(versions).toHaveLength(config.secrets.filter((secret) => secret.kind === "random").length);
      for (const text of texts) expect(leaks(text)).toEqual([]);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  }, 60_000);
});
