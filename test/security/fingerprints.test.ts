/**
 * Fingerprints name places, not values, and are keyed: nothing `scan`, a baseline or a saved
 * plan writes can be checked against a guessed value without the hash key kept outside the
 * repository (issue 14: a 6-digit password was recovered from one unkeyed fingerprint).
 */
import { createHash, randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HASH_KEY_FILE_ENV } from "../../core/state.ts";
import { legacyFingerprint } from "../../scripts/migrate/candidate.ts";
import { scanSources } from "../../scripts/scan/index.ts";
import type { Source } from "../../scripts/scan/types.ts";
import { runCli } from "../helpers/run-cli.ts";

interface Report {
  findings: { ruleId: string; file: string; line: number; fingerprint: string }[];
  fingerprintKey?: string;
}

let work: string;
const KEY = randomBytes(32).toString("base64");
const OTHER_KEY = randomBytes(32).toString("base64");

async function scan(args: string[], key = KEY): Promise<{ code: number; stdout: string; stderr: string }> {
  return runCli(["scan", ...args], { cwd: work, env: { VAULTLIFT_HASH_KEY: key } });
}

async function scanJson(key = KEY): Promise<Report> {
  const result = await scan([".", "--format", "json"], key);
  expect(result.stderr).toBe("");
  return JSON.parse(result.stdout) as Report;
}

/** The fingerprint vaultlift 0.1 wrote: sha256(rule, file, sha256(value)). */
function unkeyed(ruleId: string, file: string, value: string): string {
  const valueHash = createHash("sha256").update(value).digest("hex");
  return createHash("sha256").update(`${ruleId}\0${file}\0${valueHash}`).digest("hex").slice(0, 32);
}

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), "vaultlift-fingerprints-"));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe("fingerprints", () => {
  it("are no oracle: a 6-digit password's fingerprint matches no guess, and changes with the key", async () => {
    await writeFile(path.join(work, "settings.py"), 'password = "482913"\n');
    const report = await scanJson();
    const [finding] = report.findings;
    expect(finding?.ruleId).toBe("password-assignment");
    const fingerprint = finding?.fingerprint as string;
    for (let guess = 482_900; guess < 483_000; guess += 1) expect(unkeyed("password-assignment", "settings.py", String(guess))).not.toBe(fingerprint);
    expect((await scanJson(OTHER_KEY)).findings[0]?.fingerprint).not.toBe(fingerprint);
    expect(report.fingerprintKey).toMatch(/^[0-9a-f]{12}$/);
  });

  it("name the place: the same after a rotation and after edits elsewhere in the file", async () => {
    await writeFile(path.join(work, "settings.py"), 'password = "482913"\ntoken = "ghp_Q8wZ3kLm9Pz2xY7vB3nR5tW1aC6dE0fG4hJ8"\n');
    const before = await scanJson();
    await writeFile(path.join(work, "settings.py"), '"""settings"""\nDEBUG = False\n\npassword = "Rotated-Passw0rd-77"\ntoken = "ghp_Z9yX8wV7uT6sR5qP4oN3mL2kJ1iH0gF9eD8c"\n');
    const after = await scanJson();
    expect(after.findings.map((f) => [f.ruleId, f.fingerprint])).toEqual(before.findings.map((f) => [f.ruleId, f.fingerprint]));
    expect(after.findings.map((f) => f.line)).toEqual([4, 5]);
  });

  it("SARIF partialFingerprints are the same keyed fingerprints", async () => {
    const json = await scanJson();
    const sarif = JSON.parse((await scan([".", "--format", "sarif"])).stdout) as { runs: { results: { partialFingerprints: Record<string, string> }[] }[] };
    expect(sarif.runs[0]?.results.map((result) => Object.values(result.partialFingerprints)[0])).toEqual(json.findings.map((f) => f.fingerprint));
  });
});

describe("the hash key", () => {
  it("is read once per scan: worker threads fingerprint with the key the scan started with", async () => {
    const keyFile = path.join(work, "hash-key-file");
    await writeFile(keyFile, KEY);
    const token = (index: number) => `ghp_Q8wZ3kLm9Pz2xY7vB3nR5tW1aC6dE${String(index).padStart(3, "0")}hJ8`;
    const generated = (pauseForWorkers: boolean): Source => ({
      label: "generated",
      async *fragments() {
        for (let index = 0; index < 200; index += 1) {
          // Lets the workers load, so that they detect most of what follows (after the fix the test holds either way).
          if (pauseForWorkers && index === 1) await new Promise((resolve) => setTimeout(resolve, 2000));
          yield { path: `module${index}.js`, content: Buffer.from(`const token = "${token(index)}";\n`), source: "file" };
        }
      },
    });
    const saved = process.env[HASH_KEY_FILE_ENV];
    process.env[HASH_KEY_FILE_ENV] = keyFile;
    try {
      // The key file changes once the first finding is in: a second read anywhere would fingerprint with the other key.
      let changed = false;
      const report = await scanSources([generated(true)], {
        workers: 2,
        parallelAfterBytes: 0,
        onProgress: (progress) => {
          if (progress.findings === 0 || changed) return;
          writeFileSync(keyFile, OTHER_KEY);
          changed = true;
        },
      });
      const expected = await scanSources([generated(false)], { workers: 0, hashKey: Buffer.from(KEY, "base64") });
      expect(report.findings).toHaveLength(200);
      expect(report.findings.map((finding) => finding.fingerprint)).toEqual(expected.findings.map((finding) => finding.fingerprint));
    } finally {
      if (saved === undefined) delete process.env[HASH_KEY_FILE_ENV];
      else process.env[HASH_KEY_FILE_ENV] = saved;
    }
  });
});

describe("baselines", () => {
  it("a baseline survives a rotation and an edit elsewhere in the file", async () => {
    await writeFile(path.join(work, "settings.py"), 'password = "482913"\n');
    const baseline = path.join(work, "baseline.json");
    expect((await scan([".", "--format", "json", "--output", baseline])).code).toBe(1);
    await writeFile(path.join(work, "settings.py"), 'import os\n\npassword = "Another-Passw0rd-1"\n');
    const result = await scan([".", "--baseline", baseline, "--format", "json"]);
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as Report).findings).toEqual([]);
  });

  it("a baseline of value fingerprints (no key id) is refused in one line saying how to regenerate it", async () => {
    const old = path.join(work, "old-baseline.json");
    await writeFile(old, JSON.stringify({ findings: [{ ruleId: "password-assignment", file: "settings.py", line: 1, column: 12, redacted: "****", fingerprint: unkeyed("password-assignment", "settings.py", "482913") }] }));
    const result = await scan([".", "--baseline", old]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split("\n")).toEqual([`vaultlift: ${old}: baseline from an older vaultlift (fingerprints of values, no "fingerprintKey"): regenerate it with \`vaultlift scan --format json --output ${old}\``]);
  });

  it("a baseline made with another hash key is refused, naming the key variable", async () => {
    const baseline = path.join(work, "other-key-baseline.json");
    await scan([".", "--format", "json", "--output", baseline], OTHER_KEY);
    const result = await scan([".", "--baseline", baseline]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(/baseline made with hash key [0-9a-f]{12}, this machine has [0-9a-f]{12}: set VAULTLIFT_HASH_KEY/);
    expect(JSON.parse(await readFile(baseline, "utf8"))).toHaveProperty("fingerprintKey");
  });
});

describe("legacy fingerprints", () => {
  it("are keyed too", () => {
    const saved = process.env.VAULTLIFT_HASH_KEY;
    try {
      process.env.VAULTLIFT_HASH_KEY = KEY;
      const first = legacyFingerprint("s3://vault/ssm-db.py", "/prod/db_password");
      process.env.VAULTLIFT_HASH_KEY = OTHER_KEY;
      expect(legacyFingerprint("s3://vault/ssm-db.py", "/prod/db_password")).not.toBe(first);
      expect(first).toMatch(/^legacy:[0-9a-f]{24}$/);
    } finally {
      if (saved === undefined) delete process.env.VAULTLIFT_HASH_KEY;
      else process.env.VAULTLIFT_HASH_KEY = saved;
    }
  });
});
