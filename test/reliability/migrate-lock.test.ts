/**
 * Two migrations on one journal: the second refuses while the first applies (a lock file
 * beside the journal), and a run refused for bad input removes only what it created, never
 * another run's state directory.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalAws, type LocalAws } from "../../scripts/local-aws/index.ts";
import { runCli } from "../helpers/run-cli.ts";

let aws: LocalAws;
let work: string;
const KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

beforeAll(async () => {
  aws = await startLocalAws({ s3: false });
  work = await mkdtemp(path.join(tmpdir(), "vaultlift-migrate-lock-"));
  await writeFile(path.join(work, "vaultlift.yaml"), "org: acme\nregion: us-east-1\nenvironments: [dev]\nkms: { alias: alias/acme }\nstate: { bucket: acme-state }\nteams: [{ name: payments }]\n");
  await writeFile(path.join(work, ".env"), "DB_PASSWORD=Lock-Test-Passw0rd-1\n");
});
afterAll(async () => {
  await aws.stop();
  await rm(work, { recursive: true, force: true });
});

const migrate = (state: string, extra: string[] = []) =>
  runCli(["migrate", ".", "--team", "payments", "--env", "dev", "--app", "api", "--apply", ...extra], { cwd: work, env: { ...aws.env(), VAULTLIFT_STATE_DIR: state, VAULTLIFT_HASH_KEY: KEY } });

describe("migrate lock", () => {
  it("refuses to apply while another run holds the journal's lock, and leaves its state alone", async () => {
    const state = path.join(work, "state-locked");
    mkdirSync(state, { recursive: true });
    writeFileSync(path.join(state, "journal.jsonl"), "");
    // This test process is alive: its pid holds the lock.
    writeFileSync(path.join(state, "journal.jsonl.lock"), `${process.pid}\n`);
    const result = await migrate(state);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split("\n").at(-1)).toBe(
      `vaultlift: ${path.join(state, "journal.jsonl")} is in use by another vaultlift migrate (pid ${process.pid}): wait for it to finish, or remove ${path.join(state, "journal.jsonl.lock")} if that process is gone`,
    );
    expect(aws.counters.writes()).toBe(0);
    expect(readFileSync(path.join(state, "journal.jsonl.lock"), "utf8")).toBe(`${process.pid}\n`);
  });

  it("takes over a lock whose process is gone, and releases it when done", async () => {
    const state = path.join(work, "state-stale");
    mkdirSync(state, { recursive: true });
    writeFileSync(path.join(state, "journal.jsonl.lock"), "999999999\n");
    const result = await migrate(state);
    expect(result.code).toBe(0);
    expect(existsSync(path.join(state, "journal.jsonl.lock"))).toBe(false);
  });
});
