/**
 * Start-up and install size of the packaged CLI: `vaultlift secrets get` against the aws CLI
 * doing the same read on the same local endpoint (paired runs, medians, as a ratio), the
 * time of `vaultlift --help`, and what `npm install --omit=dev --omit=peer` of the tarball weighs.
 */
import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { CreateSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { startLocalAws } from "../scripts/local-aws/index.ts";
import { packAndInstall } from "../test/helpers/package.ts";
import { BIN } from "../test/helpers/run-cli.ts";

export interface StartupBench {
  runs: number;
  vaultliftGetMs: number;
  /** undefined when the aws CLI is not installed. */
  awsGetMs?: number;
  ratio?: number;
  helpMs: number;
  /** `node -e 0` on the same machine in the same run: the floor under both. */
  nodeMs: number;
  installMegabytes: number;
}

const SECRET = "/bench/startup/db-password";

export async function benchStartup(runs = 15): Promise<StartupBench> {
  const aws = await startLocalAws({ s3: false });
  // No vaultlift.yaml here: a script calling `vaultlift secrets get` runs in the application's folder.
  const cwd = mkdtempSync(path.join(tmpdir(), "vaultlift-startup-"));
  const env = { ...process.env, ...aws.env(), AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" };
  const timed = (file: string, args: string[]) =>
    new Promise<number>((resolve, reject) => {
      const start = performance.now();
      // Asynchronous: this process serves the endpoint both programs read from.
      execFile(file, args, { cwd, env, timeout: 30_000 }, (error) => (error ? reject(error) : resolve(performance.now() - start)));
    });
  try {
    const client = new SecretsManagerClient({ endpoint: aws.endpoint, region: aws.region, credentials: aws.credentials });
    await client.send(new CreateSecretCommand({ Name: SECRET, SecretString: "bench-value" }));
    client.destroy();
    const hasAws = (() => {
      try {
        execFileSync("aws", ["--version"], { stdio: "ignore" });
        return true;
      } catch {
        return false;
      }
    })();
    const ours: number[] = [];
    const theirs: number[] = [];
    const help: number[] = [];
    const bare: number[] = [];
    await timed(process.execPath, [BIN, "secrets", "get", SECRET]);
    for (let run = 0; run < runs; run += 1) {
      ours.push(await timed(process.execPath, [BIN, "secrets", "get", SECRET]));
      if (hasAws) theirs.push(await timed("aws", ["secretsmanager", "get-secret-value", "--secret-id", SECRET]));
      help.push(await timed(process.execPath, [BIN, "--help"]));
      bare.push(await timed(process.execPath, ["-e", "0"]));
    }
    const installed = packAndInstall();
    rmSync(installed.dir, { recursive: true, force: true });
    const vaultliftGetMs = median(ours);
    const awsGetMs = hasAws ? median(theirs) : undefined;
    return {
      runs,
      vaultliftGetMs,
      awsGetMs,
      ratio: awsGetMs === undefined ? undefined : vaultliftGetMs / awsGetMs,
      helpMs: median(help),
      nodeMs: median(bare),
      installMegabytes: installed.installBytes / 1e6,
    };
  } finally {
    rmSync(cwd, { recursive: true, force: true });
    await aws.stop();
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}
