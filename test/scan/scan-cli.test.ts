/** `vaultlift scan` as a user runs it: the real binary on small fixture trees, values never printed. */
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.ts";
import { sarifErrors } from "../helpers/sarif.ts";

const GITHUB_TOKEN = "ghp_Q8wZ3kLm9Pz2xY7vB3nR5tW1aC6dE0fG4hJ8";
const DB_PASSWORD = "Tr0ub4dor-Horse-91";
const NPM_TOKEN = "npm_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8";
const STRIPE_KEY = "sk_live_4eC39HqLyjWDarjtT1zdp7dcA9xQ";
const VALUES = [GITHUB_TOKEN, DB_PASSWORD, NPM_TOKEN, STRIPE_KEY];

let work: string;

async function put(file: string, content: string): Promise<void> {
  await mkdir(path.dirname(path.join(work, file)), { recursive: true });
  await writeFile(path.join(work, file), content);
}

function leaked(text: string): string[] {
  return VALUES.filter((value) => text.includes(value));
}

interface JsonReport {
  findings: { ruleId: string; file: string; line: number; column: number; redacted: string; fingerprint: string; key?: string; commit?: string; date?: string; source?: string; context?: string }[];
  stats: { files: number; bytes: number; durationMs: number; skipped: number; commits?: number };
}

async function scanJson(args: string[]): Promise<{ code: number; report: JsonReport; output: string }> {
  const result = await runCli(["scan", ...args, "--format", "json"], { cwd: work });
  expect(result.stderr).toBe("");
  return { code: result.code, report: JSON.parse(result.stdout) as JsonReport, output: result.stdout + result.stderr };
}

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), "vaultlift-scan-cli-"));
  await put("app/settings.py", `import os\n\nGITHUB_TOKEN = "${GITHUB_TOKEN}"\nDB_PASSWORD = "${DB_PASSWORD}"\n`);
  await put("app/testdata/fixture.py", `TOKEN = "${NPM_TOKEN}"\n`);
  await put("clean/readme.md", "# nothing to see\npassword = os.environ['DB_PASSWORD']\n");
  await put("vaultlift.yaml", "org: acme\nregion: eu-west-1\nkms: { alias: alias/acme }\nstate: { bucket: acme-state }\nteams: [{ name: payments }]\nscan:\n  allowPaths: ['testdata/**']\n");
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe("vaultlift scan", () => {
  it("prints a redacted table and exits 1 when it finds secrets", async () => {
    const table = await runCli(["scan", "app"], { cwd: work });
    expect(table.code).toBe(1);
    expect(table.stdout).toMatch(/github-pat\s+settings\.py:3:17\s+GITHUB_TOKEN\s+ghp_\*+\(33-64\)/);
    expect(table.stdout).toContain("password-assignment");
    expect(leaked(table.stdout + table.stderr)).toEqual([]);
  });

  it("writes the JSON report of MISSION.md with the config's allowPaths applied", async () => {
    const { code, report, output } = await scanJson(["app"]);
    expect(code).toBe(1);
    expect(report.findings.map((f) => [f.ruleId, f.file, f.line, f.column, f.key])).toEqual([
      ["github-pat", "settings.py", 3, 17, "GITHUB_TOKEN"],
      ["password-assignment", "settings.py", 4, 16, "DB_PASSWORD"],
    ]);
    for (const finding of report.findings) {
      expect(Object.keys(finding).sort()).toEqual(["column", "file", "fingerprint", "key", "line", "redacted", "ruleId", "source"]);
      expect(finding.fingerprint).toMatch(/^[0-9a-f]{32}$/);
    }
    expect(report.stats).toMatchObject({ files: 1, skipped: 1 });
    expect(report.stats.bytes).toBeGreaterThan(0);
    expect(typeof report.stats.durationMs).toBe("number");
    expect(leaked(output)).toEqual([]);
  });

  it("writes SARIF 2.1.0 that validates against the schema", async () => {
    const result = await runCli(["scan", "app", "--format", "sarif"], { cwd: work });
    expect(result.code).toBe(1);
    const log = JSON.parse(result.stdout) as { version: string; runs: { results: { ruleId: string; partialFingerprints: Record<string, string> }[] }[] };
    expect(sarifErrors(log)).toEqual([]);
    expect(log.version).toBe("2.1.0");
    expect(log.runs[0]?.results.map((r) => r.ruleId)).toEqual(["github-pat", "password-assignment"]);
    expect(log.runs[0]?.results[0]?.partialFingerprints["vaultlift/v2"]).toMatch(/^[0-9a-f]{32}$/);
    expect(leaked(result.stdout)).toEqual([]);
  });

  it("reports only new findings against a baseline, and exits 0 when none are new", async () => {
    await put("base/app.py", `GITHUB_TOKEN = "${GITHUB_TOKEN}"\n`);
    const baseline = path.join(work, "baseline.json");
    const first = await runCli(["scan", "base", "--format", "json", "--output", baseline], { cwd: work });
    expect(first.code).toBe(1);
    expect(first.stdout).toBe("");
    expect(leaked(await readFile(baseline, "utf8"))).toEqual([]);
    await put("base/new.py", `STRIPE = "${STRIPE_KEY}"\n`);
    const { code, report } = await scanJson(["base", "--baseline", baseline]);
    expect(code).toBe(1);
    expect(report.findings.map((f) => [f.ruleId, f.file])).toEqual([["stripe-secret-key", "new.py"]]);
  });

  it("exits 0 on a clean tree and 2 on bad input", async () => {
    const clean = await runCli(["scan", "clean"], { cwd: work });
    expect([clean.code, clean.stdout]).toEqual([0, expect.stringContaining("0 findings")]);
    const missing = await runCli(["scan", "no-such-dir", "--max-file-bytes", "1000"], { cwd: work });
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringContaining("no-such-dir")]);
  });

  it("scans in worker threads when the tree is large", async () => {
    const line = "export function handler(event) { return { statusCode: 200, body: JSON.stringify(event) }; }\n";
    for (let index = 0; index < 6; index += 1) await put(`large/src/module${index}.js`, line.repeat(12_000));
    await put("large/src/zz-config.js", `const token = "${GITHUB_TOKEN}";\n`);
    const { code, report } = await scanJson(["large", "--workers", "2"]);
    expect(code).toBe(1);
    expect(report.findings.map((f) => [f.ruleId, f.file, f.line])).toEqual([["github-pat", "src/zz-config.js", 1]]);
    expect(report.stats.bytes).toBeGreaterThan(6 * 1024 * 1024);
  });

  it("--history finds a secret that was deleted from the working tree", async () => {
    const repo = path.join(work, "repo");
    await mkdir(repo, { recursive: true });
    const git = (...args: string[]) =>
      execFileSync("git", ["-c", "user.name=Dev", "-c", "user.email=dev@acme.io", "-c", "init.defaultBranch=main", ...args], { cwd: repo }).toString().trim();
    git("init", "-q");
    await put("repo/deploy/ssm.py", `put_ssm_parameter('/acme/prod/api/db_password', '${DB_PASSWORD}', 'SecureString')\n`);
    git("add", ".");
    git("commit", "-q", "-m", "add vault script");
    const introduced = git("rev-parse", "HEAD");
    git("rm", "-q", "deploy/ssm.py");
    git("commit", "-q", "-m", "remove secret");
    const { code, report, output } = await scanJson(["repo", "--history"]);
    expect(code).toBe(1);
    expect(report.findings).toEqual([expect.objectContaining({ ruleId: "ssm-put-parameter-script", file: "deploy/ssm.py", commit: introduced, source: "git", key: "/acme/prod/api/db_password" })]);
    expect(report.findings[0]?.date).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(report.stats.commits).toBe(2);
    expect(leaked(output)).toEqual([]);
  });

  it("--history reports a secret still in the working tree once, from the working tree", async () => {
    const repo = path.join(work, "repo-live");
    await mkdir(repo, { recursive: true });
    const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=Dev", "-c", "user.email=dev@acme.io", ...args], { cwd: repo });
    git("init", "-q");
    await put("repo-live/deploy/ssm.py", `put_ssm_parameter('/acme/prod/api/db_password', '${DB_PASSWORD}', 'SecureString')\n`);
    git("add", ".");
    git("commit", "-q", "-m", "add vault script");
    const { code, report } = await scanJson(["repo-live", "--history"]);
    expect(code).toBe(1);
    expect(report.findings.map((f) => [f.file, f.source])).toEqual([["deploy/ssm.py", "file"]]);
  });

  it("marks findings in test and docs paths, lowers their SARIF level, groups them in the table, and --min-confidence hides them", async () => {
    await put("noisy/src/app.py", `GITHUB_TOKEN = "${GITHUB_TOKEN}"\nDB_PASSWORD = "${DB_PASSWORD}"\n`);
    await put("noisy/tests/test_app.py", `TOKEN = "${NPM_TOKEN}"\n`);
    await put("noisy/docs/setup.md", `Set STRIPE_KEY to ${STRIPE_KEY} in production.\n`);
    const { report } = await scanJson(["noisy"]);
    expect(report.findings.map((f) => [f.ruleId, f.file, f.context])).toEqual([
      ["stripe-secret-key", "docs/setup.md", "docs"],
      ["github-pat", "src/app.py", undefined],
      ["password-assignment", "src/app.py", undefined],
      ["npm-token", "tests/test_app.py", "test"],
    ]);
    const sarif = JSON.parse((await runCli(["scan", "noisy", "--format", "sarif"], { cwd: work })).stdout) as { runs: { results: { ruleId: string; level: string }[] }[] };
    expect(sarif.runs[0]?.results.map((r) => [r.ruleId, r.level])).toEqual([
      ["stripe-secret-key", "note"],
      ["github-pat", "error"],
      ["password-assignment", "error"],
      ["npm-token", "note"],
    ]);
    const table = await runCli(["scan", "noisy"], { cwd: work });
    const [main, samples] = table.stdout.split("In test, fixture, example and documentation paths (2):");
    expect(main).toContain("src/app.py:1:");
    expect(main).not.toContain("tests/test_app.py");
    expect(samples).toContain("tests/test_app.py:1:");
    expect(samples).toContain("docs/setup.md:1:");
    const medium = await runCli(["scan", "noisy", "--min-confidence", "medium", "--format", "json"], { cwd: work });
    expect((JSON.parse(medium.stdout) as JsonReport).findings.map((f) => f.ruleId)).toEqual(["github-pat", "password-assignment"]);
    expect(medium.stderr).toContain("2 findings below --min-confidence medium not shown");
    const high = await runCli(["scan", "noisy", "--min-confidence", "high", "--format", "json"], { cwd: work });
    expect((JSON.parse(high.stdout) as JsonReport).findings.map((f) => f.ruleId)).toEqual(["github-pat"]);
    const onlySamples = await runCli(["scan", "noisy/tests", "--min-confidence", "medium"], { cwd: work });
    expect(onlySamples.code).toBe(0);
    expect(leaked(table.stdout + medium.stdout + high.stdout + JSON.stringify(sarif))).toEqual([]);
  });

  it("--explain says which rule matched a line and which filter dropped the others, without the value", async () => {
    await put("explain/app.py", `bypass = "Zq8wLm3Rt9Kp"\npassword = "changeme"\nDB_PASSWORD = "${DB_PASSWORD}"\n`);
    const reported = await runCli(["scan", "--explain", "explain/app.py:3"], { cwd: work });
    expect(reported.code).toBe(0);
    expect(reported.stdout).toMatch(/explain\/app\.py:3:16 {2}password-assignment {2}\S+ {2}reported/);
    const dropped = await runCli(["scan", "--explain", "explain/app.py:1"], { cwd: work });
    expect(dropped.stdout).toContain('password-assignment  dropped: "bypass" is not a name of this kind');
    const placeholder = await runCli(["scan", "--explain", "explain/app.py:2"], { cwd: work });
    expect(placeholder.stdout).toContain("dropped: a placeholder, reference or masked value");
    expect(leaked(reported.stdout + dropped.stdout + placeholder.stdout)).toEqual([]);
    const bad = await runCli(["scan", "--explain", "explain/app.py"], { cwd: work });
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringContaining("FILE:LINE")]);
  });
});
