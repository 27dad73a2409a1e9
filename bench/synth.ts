/**
 * Synth benchmark: generates a config with `count` secrets across ten teams and all three
 * kinds, and synthesizes every bootstrap stack in-process. Goal: 1,000 secrets in under 5 s.
 * Run directly with `npx tsx bench/synth.ts [count]`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { App } from "cdktf";
import { stringify } from "yaml";
import { parseConfig } from "../core/config.ts";
import { addBootstrapStacks } from "../stacks/app.ts";

const TEAMS = 10;
const KINDS = ["random", "third-party", "parameter"] as const;

/** A valid vaultlift.yaml with `count` secrets. */
export function benchConfigText(count: number): string {
  const teams = Array.from({ length: TEAMS }, (_, index) => ({ name: `team${index}`, tagConditions: index % 2 === 0 }));
  const secrets = Array.from({ length: count }, (_, index) => {
    const kind = KINDS[index % KINDS.length] as (typeof KINDS)[number];
    return {
      name: `secret${index}`,
      team: `team${index % TEAMS}`,
      env: index % 2 === 0 ? "prod" : "dev",
      app: `app${index % 25}`,
      kind,
      ...(kind === "random" ? { random: { length: 24 + (index % 16), ...(index % 6 === 0 ? { jsonKey: "password" } : {}) } } : {}),
      ...(kind === "parameter" ? { maxBytes: index % 9 === 0 ? 6000 : 1000 } : {}),
      ...(kind === "third-party" && index % 10 === 1 ? { replicas: ["eu-central-1"], resourcePolicy: { allowAccounts: ["210987654321"] } } : {}),
      tags: { owner: `oncall-${index % TEAMS}` },
    };
  });
  return stringify({
    org: "bench",
    region: "eu-west-1",
    accountId: "123456789012",
    environments: ["dev", "prod"],
    kms: { alias: "alias/bench-secrets", admins: ["arn:aws:iam::123456789012:role/platform-admin"] },
    state: { bucket: "bench-vaultlift-tfstate" },
    teams,
    monitoring: { deletedSecretAccessAlarm: true },
    secrets,
  });
}

/** Validates the generated config and synthesizes all stacks; `seconds` covers both. */
export async function benchSynth(count = 1000): Promise<{ secrets: number; seconds: number }> {
  const text = benchConfigText(count);
  const outdir = mkdtempSync(path.join(tmpdir(), "vaultlift-bench-"));
  try {
    const started = performance.now();
    const config = parseConfig(text, "bench.yaml");
    const app = new App({ outdir });
    addBootstrapStacks(app, config);
    app.synth();
    return { secrets: config.secrets.length, seconds: (performance.now() - started) / 1000 };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { secrets, seconds } = await benchSynth(Number(process.argv[2] ?? 1000));
  console.log(`synth: ${secrets} secrets, all stacks, in ${seconds.toFixed(2)} s (goal: under 5 s for 1,000)`);
}
