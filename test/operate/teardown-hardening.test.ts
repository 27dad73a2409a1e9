/**
 * Teardown stays inside its prefix and never leaves a secret more alive than it found it:
 * whole path segments only, declared (bootstrap) secrets only when named and asked for, a
 * failed restore-then-force-delete scheduled again, and a delete whose reply was lost counts
 * as done (through the emulator's lost-reply fault, with the real SDK).
 */
import { rm } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createAwsClients, type AwsClients } from "../../scripts/aws/clients.ts";
import { applyTeardown, planTeardown } from "../../scripts/store/teardown.ts";
import { listAll, storesFor, type Stores } from "../../scripts/store/index.ts";
import type { LocalAws } from "../../scripts/local-aws/index.ts";
import { startLocalStores } from "../helpers/local-stores.ts";
import { workspaceWith } from "../helpers/loopback.ts";
import { runCli } from "../helpers/run-cli.ts";

vi.setConfig({ testTimeout: 120_000 });

let aws: LocalAws;
let clients: AwsClients;
let stores: Stores;
let env: Record<string, string>;
let work: string;

const CONFIG = `org: acme
region: us-east-1
environments: [dev]
kms: { alias: alias/acme }
state: { bucket: acme-state }
teams: [{ name: pay }]
secrets:
  - { name: db-password, team: pay, env: dev, app: api, kind: random, random: { length: 32 } }
`;

const vaultlift = (args: string[]) => runCli(["--config", path.join(work, "vaultlift.yaml"), ...args], { env, cwd: work });
const names = async (prefix: string) => (await listAll([stores.secretsmanager, stores.ssm], { prefix, includeDeleted: true })).map((s) => `${s.store}:${s.name}${s.deletionDate ? " (scheduled)" : ""}`).sort();

beforeAll(async () => {
  ({ aws, clients, stores } = await startLocalStores());
  env = { ...aws.env(), NODE_NO_WARNINGS: "1" };
  Object.assign(process.env, aws.env());
  work = await workspaceWith("teardown", CONFIG);
});
afterAll(async () => {
  clients.destroy();
  await aws.stop();
  await rm(work, { recursive: true, force: true });
});
beforeEach(async () => {
  await aws.reset();
});

describe("teardown within its prefix", () => {
  it("matches whole path segments: --prefix /acme/pay leaves /acme/payments-legacy and /acme/payroll alone", async () => {
    for (const name of ["/acme/pay", "/acme/pay/dev/a", "/acme/payments-legacy/b", "/acme/payroll"]) {
      await stores.ssm.write(name, "v");
      await stores.secretsmanager.write(name, "v");
    }
    const result = await vaultlift(["teardown", "--prefix", "/acme/pay", "--force-delete-without-recovery", "--yes"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("4 deleted, 0 failed");
    expect(await names("/acme/")).toEqual([
      "secretsmanager:/acme/payments-legacy/b",
      "secretsmanager:/acme/payroll",
      "ssm:/acme/payments-legacy/b",
      "ssm:/acme/payroll",
    ]);
  });

  it("names declared secrets in the plan and deletes them only with --include-declared", async () => {
    await stores.secretsmanager.write("/acme/pay/dev/api/db-password", "bootstrap-made");
    await stores.secretsmanager.write("/acme/pay/dev/api/other", "v");
    const kept = await vaultlift(["teardown", "--prefix", "/acme/pay/dev/", "--force-delete-without-recovery", "--yes"]);
    expect(kept.code).toBe(0);
    expect(kept.stdout).toMatch(/protected\s+secretsmanager\s+\/acme\/pay\/dev\/api\/db-password\s+\(live; declared in vaultlift.yaml: --include-declared to delete\)/);
    expect(kept.stdout).toContain("1 deleted, 0 failed");
    expect(await names("/acme/pay/")).toEqual(["secretsmanager:/acme/pay/dev/api/db-password"]);
    const removed = await vaultlift(["teardown", "--prefix", "/acme/pay/dev/", "--force-delete-without-recovery", "--include-declared", "--yes"]);
    expect(removed.stdout).toContain("1 deleted, 0 failed");
    expect(await names("/acme/pay/")).toEqual([]);
  });
});

describe("teardown never brings a secret back to life", () => {
  it("schedules a restored secret again when its force delete fails", async () => {
    const once = createAwsClients({ endpoint: aws.endpoint, region: aws.region, maxAttempts: 1 });
    const direct = storesFor(once);
    await stores.secretsmanager.write("/acme/td/revive/s", "v");
    await stores.secretsmanager.delete("/acme/td/revive/s", { recoveryDays: 30 });
    aws.quirks.refuseForceDeleteOfScheduled = true;
    // First DeleteSecret: refused by the quirk; after RestoreSecret, the force delete fails; then the re-schedule.
    aws.faults.set({ operations: ["secretsmanager.DeleteSecret"], sequence: [null, "error", null] });
    const plan = planTeardown("/acme/td/revive/", await listAll([direct.secretsmanager], { prefix: "/acme/td/revive/", includeDeleted: true }), true);
    const [outcome] = await applyTeardown(plan, direct);
    once.destroy();
    expect(outcome?.error?.message).toMatch(/scheduled for deletion again/);
    expect(await names("/acme/td/revive/")).toEqual(["secretsmanager:/acme/td/revive/s (scheduled)"]);
  });

  it("counts a delete whose reply was lost, and whose retry finds nothing, as deleted", async () => {
    await stores.secretsmanager.write("/acme/td/lost/live", "v");
    await stores.secretsmanager.write("/acme/td/lost/soft", "v");
    await stores.ssm.write("/acme/td/lost/param", "v");
    aws.faults.set({ operations: ["secretsmanager.DeleteSecret", "ssm.DeleteParameters"], sequence: ["lost-reply", "lost-reply", "lost-reply"] });
    const force = await vaultlift(["teardown", "--prefix", "/acme/td/lost/", "--force-delete-without-recovery", "--yes"]);
    expect(aws.faults.injected()["lost-reply"]).toBe(3);
    expect(force.stdout).toContain("3 deleted, 0 failed");
    expect(force.code).toBe(0);
    expect(await names("/acme/td/lost/")).toEqual([]);
  });

  it("counts a schedule whose reply was lost, and whose retry finds it scheduled, as scheduled", async () => {
    await stores.secretsmanager.write("/acme/td/lost2/soft", "v");
    aws.faults.set({ operations: ["secretsmanager.DeleteSecret"], sequence: ["lost-reply"] });
    const soft = await vaultlift(["teardown", "--prefix", "/acme/td/lost2/", "--yes"]);
    expect(soft.stdout).toContain("1 deleted, 0 failed");
    expect(await names("/acme/td/lost2/")).toEqual(["secretsmanager:/acme/td/lost2/soft (scheduled)"]);
  });
});
