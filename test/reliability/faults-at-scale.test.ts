/**
 * 10,000 secrets migrated through the real CLI while the endpoint throttles 10% of calls,
 * answers 1% with a 500 and drops 1% of connections: every secret ends with exactly one
 * version holding the right value, and the report counts every retry.
 */
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.ts";
import { startLocalAws, type LocalAws } from "../../scripts/local-aws/index.ts";
import { makeLegacyWorld, storeProblems, type LegacyWorld } from "./legacy-world.ts";

const COUNT = 10_000;

let aws: LocalAws;
let world: LegacyWorld;

beforeAll(async () => {
  aws = await startLocalAws({ s3: false });
  world = makeLegacyWorld(COUNT, 8);
});

afterAll(async () => {
  await aws?.stop();
  rmSync(world.dir, { recursive: true, force: true });
});

describe("migrating 10,000 secrets through throttling, 500s and dropped connections", () => {
  it("writes every secret once with the right value, and the report's HTTP attempts count the retries", async () => {
    aws.faults.set({ throttleRate: 0.1, errorRate: 0.01, dropRate: 0.01, seed: 8 });
    // Standard retry: the adaptive mode's client-side rate limiter takes random (not
    // rate-driven) throttles as a signal to crawl at a few calls a second.
    const result = await runCli([...world.migrateArgs, "--apply", "--concurrency", "16"], {
      cwd: world.dir,
      env: { ...aws.env(), VAULTLIFT_STATE_DIR: world.state, AWS_RETRY_MODE: "standard" },
    });
    const injected = aws.faults.injected();
    aws.faults.clear();
    expect(result.code, result.stderr.slice(-2000)).toBe(0);
    expect(result.stderr).toContain(`created ${COUNT}, modified 0, unchanged 0, verified ${COUNT}, failed 0`);

    const faults = (injected.throttle ?? 0) + (injected.error ?? 0) + (injected.drop ?? 0);
    expect(injected.throttle).toBeGreaterThan(COUNT * 0.08);
    expect(injected.error).toBeGreaterThan(0);
    expect(injected.drop).toBeGreaterThan(0);
    const report = /API calls: (\d+) calls \(([^)]*)\), (\d+) HTTP attempts/.exec(result.stderr);
    expect(report, result.stderr.slice(-500)).not.toBeNull();
    const [calls, attempts] = [Number(report?.[1]), Number(report?.[3])];
    // Every attempt reached the endpoint, and each injected fault cost exactly one more attempt.
    expect(attempts).toBe(aws.counters.total());
    expect(attempts - calls).toBe(faults);
    expect(report?.[2]).toContain(`secretsmanager.CreateSecret ${COUNT}`);

    expect(storeProblems(aws, world.expected)).toEqual([]);
  }, 600_000);
});
