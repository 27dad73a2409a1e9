/** The scanner's sources and library API: what is read, what is left out, and how findings are attributed. */
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DirectorySource, GitHistorySource, readBaseline, scanSources, sourcesFor } from "../../scripts/scan/index.ts";

const GITHUB_TOKEN = "ghp_Q8wZ3kLm9Pz2xY7vB3nR5tW1aC6dE0fG4hJ8";
const SLACK_TOKEN = "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx";
const NPM_TOKEN = "npm_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8";
const DB_PASSWORD = "Tr0ub4dor-Horse-91";

let work: string;

async function put(root: string, file: string, content: string | Buffer): Promise<void> {
  await mkdir(path.dirname(path.join(root, file)), { recursive: true });
  await writeFile(path.join(root, file), content);
}

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), "vaultlift-sources-"));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe("DirectorySource", () => {
  it("honours .gitignore and .vaultliftignore at every level, skips binaries, big files and .git, survives symlink loops and bad UTF-8", async () => {
    const tree = path.join(work, "tree");
    await put(tree, "app/settings.py", `GITHUB_TOKEN = "${GITHUB_TOKEN}"\n`);
    await put(tree, ".gitignore", "ignored/\n*.local\n");
    await put(tree, "ignored/local.env", `SLACK_TOKEN=${SLACK_TOKEN}\n`);
    await put(tree, "app/dev.local", `SLACK_TOKEN=${SLACK_TOKEN}\n`);
    await put(tree, "app/.vaultliftignore", "generated/\n");
    await put(tree, "app/generated/client.js", `const t = "${SLACK_TOKEN}";\n`);
    await put(tree, ".git/config", `[remote]\n  url = https://x:${GITHUB_TOKEN}@github.com/acme/x\n`);
    await put(tree, "big.txt", `${"x".repeat(5000)}\n${SLACK_TOKEN}\n`);
    await put(tree, "logo.png", Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0]), Buffer.from(SLACK_TOKEN)]));
    await put(tree, "legacy/latin1.cfg", Buffer.concat([Buffer.from("caf\xe9 = 1\n", "latin1"), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(`\nkey = ${NPM_TOKEN}\n`)]));
    await symlink("..", path.join(tree, "app/loop"));
    await symlink("/etc", path.join(tree, "app/outside"));
    await symlink("settings.py", path.join(tree, "app/alias.py"));

    const report = await scanSources([new DirectorySource(tree, { maxFileBytes: 4096 })], { workers: 0 });
    expect(report.findings.map((f) => [f.ruleId, f.file, f.line, f.column])).toEqual([
      ["github-pat", "app/alias.py", 1, 17],
      ["github-pat", "app/settings.py", 1, 17],
      ["npm-token", "legacy/latin1.cfg", 3, 7],
    ]);
    expect(report.findings[2]?.secret).toBe(NPM_TOKEN);
    expect(report.stats.skipped).toBe(2);
    expect(report.stats.files).toBe(5);
  });

  it("scans a single file given as the root", async () => {
    await put(work, "one/.env", `DB_PASSWORD=${DB_PASSWORD}\n`);
    const report = await scanSources(sourcesFor([path.join(work, "one/.env")]), { workers: 0 });
    expect(report.findings.map((f) => [f.ruleId, f.file, f.key, f.secret])).toEqual([["password-assignment", ".env", "DB_PASSWORD", DB_PASSWORD]]);
  });
});

describe("scanSources", () => {
  it("accepts allowlisted paths and inline vaultlift:allow comments", async () => {
    const tree = path.join(work, "allow");
    await put(tree, "testdata/fixture.py", `TOKEN = "${NPM_TOKEN}"\n`);
    await put(tree, "app/a.py", `SLACK = "${SLACK_TOKEN}"  # vaultlift:allow\nNPM = "${NPM_TOKEN}"\n`);
    const report = await scanSources([new DirectorySource(tree, { maxFileBytes: 1e6 })], { workers: 0, allowPaths: ["testdata/**"] });
    expect(report.findings.map((f) => [f.file, f.line])).toEqual([["app/a.py", 2]]);
  });

  it("gives the same fingerprint to the same value in the same file after lines move, and a different one elsewhere", async () => {
    const tree = path.join(work, "moves");
    await put(tree, "a.py", `X = 1\nTOKEN = "${GITHUB_TOKEN}"\n`);
    await put(tree, "b.py", `TOKEN = "${GITHUB_TOKEN}"\n`);
    const first = await scanSources([new DirectorySource(tree, { maxFileBytes: 1e6 })], { workers: 0 });
    await put(tree, "a.py", `"""doc"""\n\n\nX = 1\n\nTOKEN = "${GITHUB_TOKEN}"\n`);
    const second = await scanSources([new DirectorySource(tree, { maxFileBytes: 1e6 })], { workers: 0 });
    expect(second.findings.map((f) => f.fingerprint)).toEqual(first.findings.map((f) => f.fingerprint));
    expect(second.findings[0]?.line).toBe(6);
    expect(first.findings[0]?.fingerprint).not.toBe(first.findings[1]?.fingerprint);
  });

  it("runs the detector in worker threads under vitest too, with the same findings and values", async () => {
    const tree = path.join(work, "parallel");
    for (let index = 0; index < 8; index += 1) await put(tree, `m${index}.py`, `X = ${index}\nTOKEN = "${GITHUB_TOKEN}"\nDB_PASSWORD = "${DB_PASSWORD}"\n`);
    const inline = await scanSources([new DirectorySource(tree, { maxFileBytes: 1e6 })], { workers: 0 });
    const parallel = await scanSources([new DirectorySource(tree, { maxFileBytes: 1e6 })], { workers: 2, parallelAfterBytes: 0 });
    expect(parallel.findings).toEqual(inline.findings);
    expect(parallel.findings.map((f) => f.secret)).toEqual(inline.findings.map((f) => f.secret));
    expect(parallel.findings).toHaveLength(16);
  });
});

describe("GitHistorySource", () => {
  it("streams past a blob over the size limit and still reads the blobs after it", async () => {
    const repo = path.join(work, "big-blob-repo");
    await mkdir(repo, { recursive: true });
    const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=Dev", "-c", "user.email=dev@acme.io", ...args], { cwd: repo, maxBuffer: 1 << 26 });
    git("init", "-q");
    await put(repo, "a-big.bin.txt", `${"x".repeat(3 * 1024 * 1024)}\n`);
    await put(repo, "b.env", `NPM_TOKEN=${NPM_TOKEN}\n`);
    git("add", ".");
    git("commit", "-q", "-m", "big and small");
    const skipped: string[] = [];
    const report = await scanSources([new GitHistorySource(repo, { maxFileBytes: 1024, onSkip: (file) => skipped.push(file) })], { workers: 0 });
    expect(skipped).toEqual(["a-big.bin.txt"]);
    expect(report.findings.map((f) => [f.file, f.secret])).toEqual([["b.env", NPM_TOKEN]]);
  });

  it("scans each blob once, attributed to the commit that introduced it, with date and path", async () => {
    const repo = path.join(work, "repo");
    await mkdir(repo, { recursive: true });
    let clock = 0;
    const git = (...args: string[]) => {
      const date = `2024-03-0${1 + Math.min(clock++, 8)}T10:00:00Z`;
      return execFileSync("git", ["-c", "user.name=Dev", "-c", "user.email=dev@acme.io", "-c", "init.defaultBranch=main", ...args], {
        cwd: repo,
        env: { ...process.env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date },
      })
        .toString()
        .trim();
    };
    git("init", "-q");
    await put(repo, "README.md", "# service\n");
    git("add", ".");
    git("commit", "-q", "-m", "init");
    await put(repo, "deploy/ssm.py", `put_ssm_parameter('/acme/prod/api/db_password', '${DB_PASSWORD}', 'SecureString')\n`);
    await put(repo, "copy/ssm.py", `put_ssm_parameter('/acme/prod/api/db_password', '${DB_PASSWORD}', 'SecureString')\n`);
    await put(repo, ".vaultliftignore", "copy/\n");
    git("add", ".");
    git("commit", "-q", "-m", "add vault script");
    const introduced = git("rev-parse", "HEAD");
    await put(repo, "deploy/ssm.py", `put_ssm_parameter('/acme/prod/api/db_password', '${DB_PASSWORD}', 'SecureString')\nprint('ok')\n`);
    git("commit", "-q", "-am", "touch");
    git("checkout", "-q", "-b", "feature");
    await put(repo, "feature.env", `NPM_TOKEN=${NPM_TOKEN}\n`);
    git("add", ".");
    git("commit", "-q", "-m", "feature");
    git("checkout", "-q", "main");
    git("rm", "-q", "deploy/ssm.py");
    git("commit", "-q", "-m", "remove secret");

    const source = new GitHistorySource(repo, { maxFileBytes: 1e6 });
    const report = await scanSources([source], { workers: 0 });
    expect(report.stats.commits).toBe(5);
    expect(report.findings.map((f) => [f.ruleId, f.file, f.line, f.key, f.commit === introduced, f.source])).toEqual([
      ["ssm-put-parameter-script", "deploy/ssm.py", 1, "/acme/prod/api/db_password", true, "git"],
      ["npm-token", "feature.env", 1, "NPM_TOKEN", false, "git"],
    ]);
    expect(report.findings[0]?.date).toBe(git("log", "-1", "--format=%aI", introduced));
    expect(report.findings[0]?.secret).toBe(DB_PASSWORD);
  });

  it("refuses a directory that is not a git repository", async () => {
    await mkdir(path.join(work, "plain"), { recursive: true });
    await expect(scanSources([new GitHistorySource(path.join(work, "plain"), { maxFileBytes: 1e6 })], { workers: 0 })).rejects.toThrow(/git repository/);
  });
});

describe("readBaseline", () => {
  it("names the file and the problem", async () => {
    await put(work, "bad.json", "{not json");
    await put(work, "shape.json", JSON.stringify({ results: [] }));
    await expect(readBaseline(path.join(work, "missing.json"))).rejects.toThrow(/missing\.json: cannot read baseline: no such file/);
    await expect(readBaseline(path.join(work, "bad.json"))).rejects.toThrow(/bad\.json: baseline is not JSON/);
    await expect(readBaseline(path.join(work, "shape.json"))).rejects.toThrow(/no "findings" array/);
  });
});
