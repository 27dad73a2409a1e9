/**
 * An interrupted `secrets dump --out` leaves no hidden copy of the secrets: the staging
 * folder goes on SIGINT/SIGTERM, and one left by an earlier crash is removed (and named) by
 * the next run. A dangling symlink as DIR is a clear input error.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startLocalAws, type LocalAws } from "../../scripts/local-aws/index.ts";
import { BIN, runCli } from "../helpers/run-cli.ts";

vi.setConfig({ testTimeout: 120_000 });

let aws: LocalAws;
let work: string;
const COUNT = 3000;

beforeAll(async () => {
  aws = await startLocalAws({ s3: false });
  work = await mkdtemp(path.join(tmpdir(), "vaultlift-dump-"));
  const ctx = { region: aws.region, now: Date.now() };
  for (let index = 0; index < COUNT; index += 1) aws.stores.ssm.handle("PutParameter", { Name: `/acme/dump/p${index}`, Value: `value-${index}`, Type: "SecureString" }, ctx);
});
afterAll(async () => {
  await aws.stop();
  await rm(work, { recursive: true, force: true });
});

const hidden = (parent: string) => readdirSync(parent).filter((entry) => entry.startsWith("."));

describe("secrets dump interrupted", () => {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it(`removes its staging folder on ${signal}`, async () => {
      const parent = path.join(work, signal);
      mkdirSync(parent);
      const child = spawn(process.execPath, [BIN, "secrets", "dump", "--store", "ssm", "--prefix", "/acme/dump/", "--out", path.join(parent, "out")], {
        env: { ...process.env, ...aws.env(), CI: "true" },
        stdio: "ignore",
      });
      const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
      for (let waited = 0; hidden(parent).length === 0 && waited < 60_000; waited += 2) await new Promise((resolve) => setTimeout(resolve, 2));
      expect(hidden(parent)).toHaveLength(1);
      child.kill(signal);
      const code = await exited;
      expect(code).toBe(signal === "SIGINT" ? 130 : 143);
      expect(readdirSync(parent)).toEqual([]);
    });
  }

  it("removes a staging folder left by an earlier crash, and names it", async () => {
    const parent = path.join(work, "leftover");
    const stale = path.join(parent, ".out.vaultlift-AbC123");
    mkdirSync(path.join(stale, "ssm"), { recursive: true });
    writeFileSync(path.join(stale, "ssm", "secret"), "left-behind-value");
    const result = await runCli(["secrets", "dump", "--store", "ssm", "--prefix", "/acme/dump/p1", "--out", path.join(parent, "out")], { env: aws.env() });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`removed ${stale}, a partial dump left by an interrupted run`);
    expect(existsSync(stale)).toBe(false);
  });

  it("a dangling symlink as DIR is exit 2, one line, nothing written", async () => {
    const parent = path.join(work, "dangling");
    mkdirSync(parent);
    symlinkSync(path.join(parent, "nowhere"), path.join(parent, "out"));
    const result = await runCli(["secrets", "dump", "--store", "ssm", "--prefix", "/acme/dump/p1", "--out", path.join(parent, "out")], { env: aws.env() });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split("\n")).toEqual([`vaultlift: ${path.join(parent, "out")} is a symbolic link: choose a new DIR`]);
    expect(readdirSync(parent)).toEqual(["out"]);
  });
});
