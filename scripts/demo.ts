/**
 * The main job on a built-in default, no AWS account needed: start the local endpoints,
 * build a legacy repository and an S3 vault bucket full of hardcoded secrets, synthesize
 * the bootstrap stacks, then scan, migrate, finish the migration (remediate, exec, history
 * purge, a clean re-scan), operate and tear down with the real CLI, and
 * tell the story. Every step is a `vaultlift` command that works the same on a real account.
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { CreateBucketCommand, PutBucketVersioningCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import type { App } from "cdktf";
import { loadConfig } from "../core/config.ts";
import type { addBootstrapStacks } from "../stacks/app.ts";
import { startLocalAws, type LocalAws } from "./local-aws/index.ts";

// Run compiled from dist/scripts/ (npm start) or from the source in scripts/.
const ROOT = path.resolve(import.meta.dirname, path.basename(path.dirname(import.meta.dirname)) === "dist" ? "../.." : "..");
const BIN = path.join(ROOT, "bin/vaultlift.js");
const CONFIG = path.join(ROOT, "vaultlift.yaml");
const BUCKET = "acme-legacy-vault";
const TARGET = { team: "payments", env: "dev", app: "billing" };
const PREFIX = `/acme/${TARGET.team}/${TARGET.env}/`;

interface StepResult {
  code: number;
  stdout: string;
}

const story: string[] = [];

async function main(): Promise<void> {
  // The pinned SDK warns that its future releases need Node 22; the demo's output is the story.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const work = mkdtempSync(path.join(tmpdir(), "vaultlift-demo-"));
  const aws = await startLocalAws();
  // The journal and hash key of this run stay with it, not in the project's .vaultlift/.
  process.env.VAULTLIFT_STATE_DIR = path.join(work, "state");
  try {
    heading(`Local AWS endpoint on ${aws.endpoint} (Secrets Manager, SSM and S3 emulated in memory)`);
    const repo = createLegacyRepository(path.join(work, "legacy-billing"));
    await createVaultBucket(aws);
    story.push(`Built a legacy repository (${repo.commits} commits) and the S3 vault bucket s3://${BUCKET} (ssm-*.py scripts, one with an older object version).`);

    heading("1. Bootstrap: synthesize the cdktf stacks from vaultlift.yaml");
    const synth = await synthesize(path.join(work, "cdktf.out"));
    story.push(
      synth
        ? `Synthesized ${synth.stacks.length} stacks (${synth.stacks.join(", ")}) with ${synth.resources} resources; no secret value in the Terraform JSON.`
        : "Skipped synthesis: cdktf is not installed (a peer dependency; `npm ci` without --omit=dev installs it).",
    );

    heading("2. Scan the repository, working tree and history");
    const scan = await vaultlift(aws, ["scan", repo.dir, "--history", "--format", "json", "--output", path.join(work, "scan.json")]);
    const report = JSON.parse(readFileSync(path.join(work, "scan.json"), "utf8")) as { findings: { ruleId: string; commit?: string }[] };
    await vaultlift(aws, ["scan", repo.dir, "--history"]);
    const inHistory = report.findings.filter((f) => f.commit).length;
    story.push(`scan found ${report.findings.length} plaintext secrets (${inHistory} only in git history), exit code ${scan.code}; values redacted everywhere.`);

    heading("3. Scan the S3 vault bucket, every object version");
    await vaultlift(aws, ["scan", `s3://${BUCKET}/`, "--versions"]);

    const target = ["--team", TARGET.team, "--env", TARGET.env, "--app", TARGET.app, "--history"];
    const sources = [repo.dir, `s3://${BUCKET}/`];
    heading("4. Migrate: dry run (the default)");
    const dryRun = await vaultlift(aws, ["migrate", ...sources, ...target, "--plan-out", path.join(work, "plan.json")]);
    const planned = countTags(dryRun.stdout);

    heading("5. Migrate with --apply");
    aws.counters.reset();
    await vaultlift(aws, ["migrate", ...sources, ...target, "--apply"]);
    const writes = aws.counters.writes();
    story.push(`migrate planned ${planned.create} new secrets in a dry run, then --apply wrote them with ${writes} write calls.`);

    heading("6. Migrate again: everything is already right");
    aws.counters.reset();
    const rerun = await vaultlift(aws, ["migrate", ...sources, ...target, "--apply"]);
    story.push(`A re-run reported ${countTags(rerun.stdout).unchanged} × [no change] and made ${aws.counters.writes()} write calls.`);

    heading("7. Finish the migration: what is left, and where (dry run)");
    const purgeFile = path.join(work, "purge.txt");
    const plan = await vaultlift(aws, ["remediate", ...sources, "--history", "--format", "json", "--purge-file", purgeFile]);
    const summary = (JSON.parse(plan.stdout) as { summary: { replace: number; rotate: number; purgeHistory: number; deleteObjectVersion: number } }).summary;
    await vaultlift(aws, ["remediate", ...sources, "--history"]);

    heading("8. Remediate with --apply: references in the code, the vault emptied of migrated values");
    await vaultlift(aws, ["remediate", ...sources, "--history", "--apply", "--yes"]);
    const show = 'for (const k of ["SENDGRID_API_KEY", "REDIS_PASSWORD", "LOG_LEVEL"]) console.log(`${k}: ${process.env[k] ? `set (${process.env[k].length} characters)` : "missing"}`)';
    const exec = await vaultlift(aws, ["exec", "--env-file", path.join(repo.dir, ".env"), "--", process.execPath, "-e", show]);
    const tree = await vaultlift(aws, ["scan", repo.dir]);
    const vault = await vaultlift(aws, ["scan", `s3://${BUCKET}/`, "--versions"]);
    story.push(
      `remediate listed ${summary.replace} literals to replace, ${summary.rotate} secrets to rotate, ${summary.purgeHistory} in git history and ${summary.deleteObjectVersion} vault object versions to delete; --apply rewrote the files (diff masked) and deleted the versions.`,
      `The rewritten .env ran through vaultlift exec (${exec.stdout.includes("missing") ? "a variable was missing" : "every variable set"}); a re-scan of the working tree exited ${tree.code} and of every bucket version ${vault.code} (0 = clean).`,
    );

    heading("9. Purge git history with the generated git filter-repo file, on a mirror clone");
    if (spawnSync("git", ["filter-repo", "--version"], { stdio: "ignore" }).status === 0) {
      const mirror = path.join(work, "legacy-billing-purge.git");
      const check = path.join(work, "legacy-billing-check");
      execFileSync("git", ["clone", "-q", "--mirror", repo.dir, mirror]);
      execFileSync("git", ["filter-repo", "--replace-text", purgeFile], { cwd: mirror, stdio: "ignore" });
      execFileSync("git", ["clone", "-q", mirror, check]);
      process.stdout.write(`$ git clone --mirror legacy-billing ${path.basename(mirror)} && git filter-repo --replace-text purge.txt
`);
      const history = await vaultlift(aws, ["scan", check, "--history"]);
      story.push(`git filter-repo --replace-text rewrote a mirror clone; vaultlift scan --history of it exited ${history.code} (0 = no secret left in any commit). Push it with --force --mirror after rotating.`);
    } else {
      process.stdout.write("git filter-repo is not installed (apt-get install git-filter-repo / brew install git-filter-repo): skipped; remediate printed the commands above.\n");
      story.push("The history purge file was written (mode 0600, outside the work tree); git filter-repo was not installed, so it was not run.");
    }

    heading("10. Everyday operations");
    await vaultlift(aws, ["secrets", "list", "--prefix", PREFIX]);
    const rotated = `${PREFIX}${TARGET.app}/db-credentials`;
    await vaultlift(aws, ["secrets", "create", rotated, "--value-stdin"], JSON.stringify({ username: "billing", password: token(24) }));
    await vaultlift(aws, ["secrets", "update", rotated, "--value-stdin"], JSON.stringify({ username: "billing", password: token(24), port: 5432 }));
    await vaultlift(aws, ["secrets", "versions", rotated]);
    const diff = await vaultlift(aws, ["secrets", "diff", rotated]);
    story.push(`Rotated ${rotated}; secrets diff AWSPREVIOUS..AWSCURRENT showed the changed keys with values masked (exit ${diff.code}).`);

    heading("11. Tear down the environment, force-deleting so names are free at once");
    await vaultlift(aws, ["secrets", "delete", rotated, "--recovery-days", "7"]);
    const teardown = await vaultlift(aws, ["teardown", "--prefix", PREFIX, "--force-delete-without-recovery", "--yes"]);
    const recreated = await vaultlift(aws, ["secrets", "create", rotated, "--value-stdin"], JSON.stringify({ username: "billing", password: token(24) }));
    await vaultlift(aws, ["teardown", "--prefix", PREFIX, "--force-delete-without-recovery", "--yes"]);
    story.push(
      `teardown removed everything under ${PREFIX} (including a secret pending recovery, exit ${teardown.code}); the name ${rotated} was reusable at once (create exit ${recreated.code}).`,
    );

    heading("What happened");
    for (const line of story) process.stdout.write(`  • ${line}\n`);
    process.stdout.write(`\n  Against a real account: the same commands without the local endpoint (drop AWS_ENDPOINT_URL), e.g.\n`);
    process.stdout.write(`    npx vaultlift migrate ./legacy-billing s3://${BUCKET}/ --team ${TARGET.team} --env ${TARGET.env} --app ${TARGET.app}\n`);
  } finally {
    await aws.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

function heading(text: string): void {
  process.stdout.write(`\n\x1b[1m${text}\x1b[0m\n`);
}

/** Runs the real CLI against the local endpoint, echoing the command and its output. */
function vaultlift(aws: LocalAws, args: string[], stdin?: string): Promise<StepResult> {
  const shown = args.map((arg) => (arg.startsWith(tmpdir()) ? path.basename(arg) : arg));
  process.stdout.write(`$ vaultlift ${shown.join(" ")}\n`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, "--config", CONFIG, "--no-progress", ...args], {
      env: { ...process.env, ...aws.env() },
      stdio: ["pipe", "pipe", "inherit"],
    });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      process.stdout.write(chunk);
    });
    child.on("error", reject);
    child.on("close", (code) => {
      const result = { code: code ?? -1, stdout };
      // Exit 1 means "findings" or "differences": part of the story, not a failure.
      if (result.code > 1) reject(new Error(`vaultlift ${args[0]} failed with exit code ${result.code}`));
      else resolve(result);
    });
    child.stdin.end(stdin ?? "");
  });
}

function countTags(output: string): { create: number; modified: number; unchanged: number } {
  const count = (tag: string) => output.split("\n").filter((line) => line.includes(tag)).length;
  return { create: count("[create]"), modified: count("[modified]"), unchanged: count("[no change]") };
}

/** The bootstrap stacks' Terraform JSON; undefined when the cdktf peer dependencies are not installed. */
async function synthesize(outdir: string): Promise<{ stacks: string[]; resources: number } | undefined> {
  const config = loadConfig(CONFIG);
  let cdktf: { App: typeof App; addBootstrapStacks: typeof addBootstrapStacks };
  try {
    cdktf = { App: (await import("cdktf")).App, addBootstrapStacks: (await import("../stacks/app.ts")).addBootstrapStacks };
  } catch (error) {
    if ((error as { code?: string }).code !== "ERR_MODULE_NOT_FOUND") throw error;
    process.stdout.write("  cdktf is not installed: skipping synthesis\n");
    return undefined;
  }
  const app = new cdktf.App({ outdir });
  cdktf.addBootstrapStacks(app, config);
  app.synth();
  const stacksDir = path.join(outdir, "stacks");
  const stacks = readdirSync(stacksDir);
  let resources = 0;
  for (const stack of stacks) {
    const json = JSON.parse(readFileSync(path.join(stacksDir, stack, "cdk.tf.json"), "utf8")) as { resource?: Record<string, object> };
    resources += Object.values(json.resource ?? {}).reduce((sum, byName) => sum + Object.keys(byName).length, 0);
    process.stdout.write(`  ${stack}: cdktf.out/stacks/${stack}/cdk.tf.json\n`);
  }
  return { stacks, resources };
}

/** Random token material, made at run time so no credential-shaped literal lives in this file. */
function token(length: number, alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"): string {
  const bytes = randomBytes(length);
  return Array.from(bytes, (byte) => alphabet[byte % alphabet.length]).join("");
}

function createLegacyRepository(dir: string): { dir: string; commits: number } {
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  };
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.name=Legacy Dev", "-c", "user.email=dev@example.com", ...args], { cwd: dir, stdio: "ignore" });
  mkdirSync(dir, { recursive: true });
  git("init", "-q", "-b", "main");
  const upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  write(
    "app/settings.py",
    [
      "import os",
      "",
      `DATABASE_URL = "postgres://billing:${token(18)}@db.internal:5432/billing"`,
      `STRIPE_SECRET_KEY = "${["sk", "live", token(24)].join("_")}"`,
      'DEBUG = os.environ.get("DEBUG", "0") == "1"',
      "",
    ].join("\n"),
  );
  write(".env", [`SENDGRID_API_KEY=SG.${token(22)}.${token(43)}`, `REDIS_PASSWORD=${token(20)}`, "LOG_LEVEL=info", ""].join("\n"));
  write(
    "terraform/secured_modules/db.tf",
    [
      'resource "aws_secretsmanager_secret_version" "billing_db" {',
      "  secret_id     = aws_secretsmanager_secret.billing_db.id",
      `  secret_string = jsonencode({ username = "billing", password = "${token(20)}" })`,
      "}",
      "",
    ].join("\n"),
  );
  write("scripts/deploy.sh", ["#!/bin/sh", `export AWS_ACCESS_KEY_ID=AKIA${token(16, upper)}`, "terraform apply", ""].join("\n"));
  git("add", "-A");
  git("commit", "-q", "-m", "Initial import");
  write("scripts/deploy.sh", ["#!/bin/sh", "terraform apply", ""].join("\n"));
  git("commit", "-q", "-am", "Remove the access key from deploy.sh (it stays in history)");
  return { dir, commits: 2 };
}

async function createVaultBucket(aws: LocalAws): Promise<void> {
  const s3 = new S3Client({ endpoint: aws.endpoint, region: aws.region, credentials: aws.credentials, forcePathStyle: true });
  const script = (password: string) =>
    [
      "from vault import put_ssm_parameter",
      "",
      `put_ssm_parameter('/payments/prod/ledger_db_password', '${password}', value_type='SecureString')`,
      `put_ssm_parameter('/payments/prod/partner_api_token', '${token(32)}', value_type='SecureString')`,
      "",
    ].join("\n");
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await s3.send(new PutBucketVersioningCommand({ Bucket: BUCKET, VersioningConfiguration: { Status: "Enabled" } }));
  // The older version holds the ledger password alone; the current one adds the partner token.
  const ledger = token(16);
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: "ssm-payments.py", Body: script(ledger).split("\n").filter((line) => !line.includes("partner")).join("\n") }));
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: "ssm-payments.py", Body: script(ledger) }));
  s3.destroy();
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${(error as Error).message}\n`);
  process.exitCode = 1;
});
