import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.ts";

const SECRETS = { base: "Zx9vB2nQ7mW4kL8pR1tY6uH3", branch: "Tq8vX2mN6bL4kJ9pW3rZ7yH1", staged: "Hq3Lm8Zr2Xw9Vb6Nt4Ks1Pd7", unstaged: "Kd93mXq7Lz2Vn8Bw4Rt6Yh1P" };

let repo: string;
let base: string;

function git(...args: string[]): string {
  return execFileSync("git", ["-c", "user.name=dev", "-c", "user.email=dev@example.com", "-c", "commit.gpgsign=false", ...args], { cwd: repo, encoding: "utf8" }).trim();
}

beforeAll(() => {
  repo = mkdtempSync(path.join(tmpdir(), "vaultlift-staged-"));
  git("init", "-q", "-b", "main");
  writeFileSync(path.join(repo, "base.py"), `api_secret = "${SECRETS.base}"\n`);
  git("add", ".");
  git("commit", "-qm", "base");
  base = git("rev-parse", "HEAD");
  writeFileSync(path.join(repo, "feature.py"), `api_secret = "${SECRETS.branch}"\n`);
  git("add", ".");
  git("commit", "-qm", "feature");
  writeFileSync(path.join(repo, "staged.py"), `api_secret = "${SECRETS.staged}"\n`);
  git("add", "staged.py");
  writeFileSync(path.join(repo, "unstaged.py"), `api_secret = "${SECRETS.unstaged}"\n`);
});

interface Report {
  findings: { file: string; commit?: string; redacted: string }[];
}

describe("vaultlift scan --staged / --since", () => {
  it("--staged scans only the index: the staged file, not the working tree or history", async () => {
    const result = await runCli(["scan", "--staged", "--format", "json"], { cwd: repo });
    expect(result.code, result.stderr).toBe(1);
    const { findings } = JSON.parse(result.stdout) as Report;
    expect(findings.map((finding) => finding.file)).toEqual(["staged.py"]);
    expect(findings[0]?.commit).toBeUndefined();
    expect(result.stdout).not.toContain(SECRETS.staged);
  });

  it("--staged with nothing secret staged is exit 0", async () => {
    git("reset", "-q", "staged.py");
    try {
      const result = await runCli(["scan", "--staged"], { cwd: repo });
      expect(result.code, result.stdout + result.stderr).toBe(0);
    } finally {
      git("add", "staged.py");
    }
  });

  it("--since REF scans only the commits after REF", async () => {
    const result = await runCli(["scan", repo, "--since", base, "--format", "json"]);
    expect(result.code, result.stderr).toBe(1);
    const { findings } = JSON.parse(result.stdout) as Report;
    expect(findings.map((finding) => finding.file)).toEqual(["feature.py"]);
    expect(findings[0]?.commit).toBe(git("rev-parse", "HEAD"));
  });

  it("an unknown ref is exit 2 naming it", async () => {
    const result = await runCli(["scan", repo, "--since", "no-such-branch"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--since no-such-branch: no such commit");
  });

  it("SARIF for CI: --since with --format sarif holds the finding", async () => {
    const result = await runCli(["scan", repo, "--since", base, "--format", "sarif"]);
    const sarif = JSON.parse(result.stdout) as { runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    expect(sarif.runs[0]?.results.map((entry) => entry.locations[0]?.physicalLocation.artifactLocation.uri)).toEqual(["feature.py"]);
  });
});
