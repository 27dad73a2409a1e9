/**
 * Migration benchmark: 10,000 legacy secrets in a vault script, migrated with the real CLI
 * against the local endpoint, then migrated again. Reports wall time and API calls per
 * secret; the goal for the re-run is <= 0.06 read calls and 0 writes per unchanged secret.
 * Run directly with `npx tsx bench/migrate.ts [count]`.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { startLocalAws, type LocalAws } from "../scripts/local-aws/index.ts";

const ROOT = path.resolve(import.meta.dirname, "..");

export interface MigrationBench {
  secrets: number;
  seconds: number;
  callsPerSecret: number;
  rerunSeconds: number;
  rerunReadCallsPerSecret: number;
  rerunWritesPerSecret: number;
}

export async function benchMigration(count = 10_000): Promise<MigrationBench> {
  const work = mkdtempSync(path.join(tmpdir(), "vaultlift-bench-migrate-"));
  const legacy = path.join(work, "legacy");
  mkdirSync(legacy);
  const aws = await startLocalAws({ s3: false });
  try {
    const lines = ["from vault import put_ssm_parameter", ""];
    for (let index = 0; index < count; index += 1) {
      lines.push(`put_ssm_parameter('/legacy/load/secret_${index}', '${randomBytes(18).toString("base64url")}', value_type='SecureString')`);
    }
    writeFileSync(path.join(legacy, "ssm-load.py"), `${lines.join("\n")}\n`);
    const args = ["migrate", legacy, "--team", "payments", "--env", "dev", "--app", "load", "--apply", "--concurrency", "16"];

    const first = await timed(() => vaultlift(aws, args, work));
    const calls = aws.counters.total();
    aws.counters.reset();
    const rerun = await timed(() => vaultlift(aws, args, work));
    const writes = aws.counters.writes();
    return {
      secrets: count,
      seconds: first,
      callsPerSecret: calls / count,
      rerunSeconds: rerun,
      rerunReadCallsPerSecret: (aws.counters.total() - writes) / count,
      rerunWritesPerSecret: writes / count,
    };
  } finally {
    await aws.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

async function timed(work: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await work();
  return (performance.now() - start) / 1000;
}

function vaultlift(aws: LocalAws, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, "bin/vaultlift.js"), "--config", path.join(ROOT, "vaultlift.yaml"), "--no-progress", ...args], {
      cwd,
      env: { ...process.env, ...aws.env() },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`migrate exited ${code}: ${stderr.trim().split("\n").slice(-3).join(" | ")}`))));
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const result = await benchMigration(Number(process.argv[2] ?? 10_000));
  console.log(result);
}
