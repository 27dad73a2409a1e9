/**
 * A migration killed with SIGKILL at seeded random points (after N writes reached the
 * endpoint, with latency so writes are in flight), then run again: every secret exists
 * once, with one version and the right value, and the journal shows the resume.
 */
import { spawn } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, runCli } from "../helpers/run-cli.ts";
import { startLocalAws, type LocalAws } from "../../scripts/local-aws/index.ts";
import { seeded } from "../../scripts/local-aws/random.ts";
import { makeLegacyWorld, storeProblems, type LegacyWorld } from "./legacy-world.ts";

const COUNT = 60;
const RUNS = 5;

let aws: LocalAws;
const worlds: LegacyWorld[] = [];

beforeAll(async () => {
  aws = await startLocalAws({ s3: false });
});

afterAll(async () => {
  await aws?.stop();
  for (const world of worlds) rmSync(world.dir, { recursive: true, force: true });
});

const writeCalls = () => aws.counters.get("secretsmanager.CreateSecret") + aws.counters.get("secretsmanager.PutSecretValue");

/** Starts `migrate --apply` and SIGKILLs it once `killAfter` write calls reached the endpoint. */
async function killedRun(world: LegacyWorld, killAfter: number): Promise<number> {
  const child = spawn(process.execPath, [BIN, ...world.migrateArgs, "--apply", "--concurrency", "4"], {
    cwd: world.dir,
    env: { ...process.env, CI: "true", ...aws.env(), VAULTLIFT_STATE_DIR: world.state },
    stdio: "ignore",
  });
  const exited = new Promise<string | null>((resolve) => child.on("exit", (_code, signal) => resolve(signal)));
  const start = writeCalls();
  const deadline = Date.now() + 60_000;
  while (writeCalls() - start < killAfter && Date.now() < deadline && child.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 2));
  child.kill("SIGKILL");
  expect(await exited).toBe("SIGKILL");
  return writeCalls() - start;
}

describe("a migration killed at random points", () => {
  const random = seeded(2024);
  const points = Array.from({ length: RUNS }, () => 1 + Math.floor(random() * (COUNT - 10)));

  it.each(points.map((point, run) => [run + 1, point]))("run %i, killed after %i writes: the resumed run loses and duplicates nothing", async (run, point) => {
    await aws.reset();
    const world = makeLegacyWorld(COUNT, run, `crash${run}`);
    worlds.push(world);
    aws.faults.set({ latencyMs: 15, operations: ["secretsmanager.CreateSecret", "secretsmanager.BatchGetSecretValue"] });
    const reached = await killedRun(world, point);
    expect(reached).toBeGreaterThanOrEqual(point);
    expect(reached).toBeLessThan(COUNT);
    // Run 3 is killed a second time while resuming.
    if (run === 3) await killedRun(world, 5);
    aws.faults.clear();

    const resumed = await runCli([...world.migrateArgs, "--apply", "--concurrency", "4"], { cwd: world.dir, env: { ...aws.env(), VAULTLIFT_STATE_DIR: world.state } });
    expect(resumed.code, resumed.stderr.slice(-1000)).toBe(0);
    expect(resumed.stderr).toMatch(/resuming run r-\S+: \d+ verified before, \d+ in flight when it stopped \(\d+ of them had landed\)/);
    expect(resumed.stderr).toMatch(/, failed 0\n/);
    expect(storeProblems(aws, world.expected)).toEqual([]);

    const records = readFileSync(world.journal, "utf8")
      .split("\n")
      .filter((line) => line.trim())
      .flatMap((line) => {
        try {
          return [JSON.parse(line) as { run: string; event: string; written?: number; unchanged?: number; failed?: number }];
        } catch {
          return [];
        }
      });
    const runs = [...new Set(records.map((record) => record.run))];
    expect(runs).toHaveLength(run === 3 ? 3 : 2);
    expect(records.filter((record) => record.event === "end").map((record) => record.run)).toEqual([runs.at(-1)]);
    // The last run wrote what was left and found the rest (verified before, or landed in flight) unchanged.
    const end = records.find((record) => record.event === "end");
    expect((end?.written ?? 0) + (end?.unchanged ?? 0)).toBe(COUNT);
    expect(end?.failed).toBe(0);
  }, 120_000);
});
