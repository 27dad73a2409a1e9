/**
 * Without VAULTLIFT_STATE_DIR, migrate and remediate share `.vaultlift/` in the working
 * folder and its one hash key: remediate finds what migrate wrote by its keyed hash.
 */
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalAws, type LocalAws } from "../../scripts/local-aws/index.ts";
import { runCli } from "../helpers/run-cli.ts";
import { CONFIG } from "../migrate/fixtures.ts";

const VALUE = "sk_live_51DefaultState7hQ2xLmN3oPq";
let aws: LocalAws;
let dir: string;

beforeAll(async () => {
  aws = await startLocalAws({ s3: false });
  dir = mkdtempSync(path.join(tmpdir(), "vaultlift-default-state-"));
  writeFileSync(path.join(dir, "vaultlift.yaml"), CONFIG);
  mkdirSync(path.join(dir, "api"));
  writeFileSync(path.join(dir, "api", ".env"), `STRIPE_KEY=${VALUE}\n`);
});

afterAll(async () => {
  await aws?.stop();
});

describe("remediate with the default state folder", () => {
  it("lists the literal migrate wrote, matched with migrate's own hash key", async () => {
    const env = { ...aws.env(), VAULTLIFT_STATE_DIR: "" };
    const migrated = await runCli(["migrate", "api", "--env", "prod", "--apply"], { cwd: dir, env });
    expect(migrated.code, migrated.stderr).toBe(0);
    const result = await runCli(["remediate", "api", "--format", "json"], { cwd: dir, env });
    expect(result.code, result.stderr).toBe(0);
    const { actions } = JSON.parse(result.stdout) as { actions: { action: string; location: string }[] };
    expect(actions).toContainEqual(expect.objectContaining({ action: "replace", location: ".env:1" }));
    expect(existsSync(path.join(dir, ".vaultlift", ".vaultlift"))).toBe(false);
    expect(result.stdout + result.stderr).not.toContain(VALUE);
  });
});
