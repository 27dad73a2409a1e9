import { spawn } from "node:child_process";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { AwsClients } from "../../scripts/aws/clients.ts";
import { planTeardown } from "../../scripts/store/teardown.ts";
import { listAll, type Stores } from "../../scripts/store/index.ts";
import { BIN, REPO_ROOT, runCli } from "../helpers/run-cli.ts";
import type { LocalAws } from "../../scripts/local-aws/index.ts";
import { startLocalStores } from "../helpers/local-stores.ts";

// Each test spawns the real binary several times; a loaded machine needs the room.
vi.setConfig({ testTimeout: 120_000 });

let aws: LocalAws;
let clients: AwsClients;
let stores: Stores;
let env: Record<string, string>;

const vaultlift = (args: string[], input?: string) => runCli(args, { env, input });

beforeAll(async () => {
  ({ aws, clients, stores } = await startLocalStores());
  env = { ...aws.env(), NODE_NO_WARNINGS: "1" };
  Object.assign(process.env, aws.env());
});
afterAll(async () => {
  clients.destroy();
  await aws.stop();
});
beforeEach(() => {
  aws.counters.reset();
  aws.quirks.refuseForceDeleteOfScheduled = false;
});

/** Live secrets, one scheduled for deletion, SSM parameters, and neighbours that must survive. */
async function seed(prefix: string): Promise<void> {
  await stores.secretsmanager.write(`${prefix}live-a`, "a");
  await stores.secretsmanager.write(`${prefix}live-b`, "b");
  await stores.secretsmanager.write(`${prefix}scheduled`, "s");
  await stores.secretsmanager.delete(`${prefix}scheduled`, { recoveryDays: 7 });
  await stores.ssm.write(`${prefix}param-1`, "p1");
  await stores.ssm.write(`${prefix}param-2`, "p2");
  await stores.secretsmanager.write(`${prefix.slice(0, -1)}x/neighbour`, "stays");
  await stores.ssm.write(`${prefix.slice(0, -1)}x/neighbour`, "stays");
}

const under = async (prefix: string) => (await listAll([stores.secretsmanager, stores.ssm], { prefix, includeDeleted: true })).map((s) => `${s.store}:${s.name}`);

describe("teardown", () => {
  it("plans: force-delete everything, or schedule live secrets and keep scheduled ones; SSM is always deleted", () => {
    const summaries = [
      { name: "/p/a", store: "secretsmanager" as const, tags: {} },
      { name: "/p/s", store: "secretsmanager" as const, tags: {}, deletionDate: new Date() },
      { name: "/p/x", store: "ssm" as const, tags: {} },
    ];
    expect(planTeardown("/p/", summaries, true).items.map((i) => i.action)).toEqual(["force-delete", "force-delete", "delete"]);
    expect(planTeardown("/p/", summaries, false).items.map((i) => i.action)).toEqual(["schedule", "keep", "delete"]);
  });

  it("refuses without a terminal and without --yes, before any call", async () => {
    const result = await vaultlift(["teardown", "--prefix", "/acme/td/none/"]);
    expect(result).toMatchObject({ code: 2, stderr: "vaultlift: teardown needs a confirmation and there is no terminal: pass --yes\n" });
    expect((await vaultlift(["teardown", "--prefix", "/", "--yes"])).stderr).toMatch(/would match every secret/);
    expect(aws.counters.total()).toBe(0);
  });

  it("force-deletes live, scheduled and SSM entries under the prefix, and the names can be reused at once", async () => {
    const prefix = "/acme/td/force/";
    await seed(prefix);
    aws.counters.reset();
    const result = await vaultlift(["teardown", "--prefix", prefix, "--force-delete-without-recovery", "--yes"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('teardown of "/acme/td/force/": 5 to delete without recovery, 0 already scheduled');
    expect(result.stdout).toMatch(/force-delete\s+secretsmanager\s+\/acme\/td\/force\/scheduled\s+\(scheduled for deletion \d{4}-\d\d-\d\d\)/);
    expect(result.stdout).toContain("deleted without recovery: secretsmanager /acme/td/force/live-a\n");
    expect(result.stdout).toContain("deleted without recovery: secretsmanager /acme/td/force/scheduled\n");
    expect(result.stdout).toContain("deleted: ssm /acme/td/force/param-2\n");
    expect(result.stdout).toContain("5 deleted, 0 failed\n");
    expect(await under(prefix)).toEqual([]);
    expect(await under("/acme/td/forcex/")).toHaveLength(2);
    expect(aws.counters.get("secretsmanager.DeleteSecret")).toBe(3);
    expect(aws.counters.get("secretsmanager.RestoreSecret")).toBe(0);
    expect(aws.counters.get("ssm.DeleteParameters")).toBe(1);

    const reused = await vaultlift(["secrets", "create", `${prefix}scheduled`, "--value-stdin", "--ignore-convention"], "new life");
    expect(reused).toMatchObject({ code: 0 });
    expect((await stores.secretsmanager.read(`${prefix}scheduled`))?.value).toBe("new life");
  });

  it("restores then force-deletes where the endpoint refuses to force-delete a scheduled secret", async () => {
    const prefix = "/acme/td/quirk/";
    await seed(prefix);
    aws.quirks.refuseForceDeleteOfScheduled = true;
    aws.counters.reset();
    const result = await vaultlift(["teardown", "--prefix", prefix, "--force-delete-without-recovery", "--yes"]);
    expect(result.stdout).toContain("5 deleted, 0 failed\n");
    expect(await under(prefix)).toEqual([]);
    expect(aws.counters.get("secretsmanager.RestoreSecret")).toBe(1);
    expect(aws.counters.get("secretsmanager.DeleteSecret")).toBe(4);
    expect((await stores.secretsmanager.write(`${prefix}scheduled`, "again")).created).toBe(true);
  });

  it("without force, schedules live secrets, keeps scheduled ones, deletes SSM parameters", async () => {
    const prefix = "/acme/td/soft/";
    await seed(prefix);
    const result = await vaultlift(["teardown", "--prefix", prefix, "--recovery-days", "7", "--yes"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('teardown of "/acme/td/soft/": 4 to delete, 1 already scheduled');
    expect(result.stdout).toMatch(/keep\s+secretsmanager\s+\/acme\/td\/soft\/scheduled/);
    expect(result.stdout).toContain("scheduled for deletion: secretsmanager /acme/td/soft/live-a\n");
    const left = await listAll([stores.secretsmanager, stores.ssm], { prefix, includeDeleted: true });
    expect(left.map((s) => [s.name, Boolean(s.deletionDate)])).toEqual([
      ["/acme/td/soft/live-a", true],
      ["/acme/td/soft/live-b", true],
      ["/acme/td/soft/scheduled", true],
    ]);
  });

  it("asks on a terminal and deletes nothing when declined", async () => {
    const prefix = "/acme/td/ask/";
    await stores.ssm.write(`${prefix}param`, "p");
    const run = (answer: string) =>
      new Promise<{ code: number | null; output: string }>((resolve, reject) => {
        const command = `node ${BIN} teardown --prefix ${prefix} --force-delete-without-recovery`;
        const child = spawn("script", ["-qec", command, "/dev/null"], { cwd: REPO_ROOT, env: { ...process.env, ...env, TERM: "dumb" } });
        let output = "";
        child.stdout.on("data", (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes("without recovery?") && !child.stdin.writableEnded) child.stdin.end(answer);
        });
        child.on("error", reject);
        child.on("close", (code) => resolve({ code, output }));
      });
    const declined = await run("n\r");
    expect(declined.output).toContain("nothing deleted");
    expect(await under(prefix)).toHaveLength(1);
    const accepted = await run("y\r");
    expect(accepted.output).toContain("1 deleted, 0 failed");
    expect(await under(prefix)).toEqual([]);
  });
});
