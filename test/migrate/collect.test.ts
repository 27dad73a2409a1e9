import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { collectCandidates } from "../../scripts/migrate/collect.ts";
import { stateDirectory } from "../../scripts/migrate/state.ts";
import { DirectorySource, scanSources } from "../../scripts/scan/index.ts";

const PASSWORD = "Zq8vLr2NwT5yKp3HsX7m";

describe("collecting candidates from a repository", () => {
  it("a password inside a Terraform jsonencode secret_string is part of that secret, not a second one", async () => {
    const repo = mkdtempSync(path.join(tmpdir(), "vaultlift-collect-"));
    mkdirSync(path.join(repo, "secured_modules"));
    writeFileSync(
      path.join(repo, "secured_modules/db.tf"),
      [
        'resource "aws_secretsmanager_secret" "billing_db" {',
        '  name = "billing-db"',
        "}",
        'resource "aws_secretsmanager_secret_version" "billing_db" {',
        "  secret_id     = aws_secretsmanager_secret.billing_db.id",
        `  secret_string = jsonencode({ username = "billing", password = "${PASSWORD}" })`,
        "}",
        "",
      ].join("\n"),
    );
    const { candidates } = await collectCandidates([repo], {
      s3: () => {
        throw new Error("no S3 source here");
      },
      maxBytes: 1024 * 1024,
      scan: async (source) => (await scanSources([new DirectorySource(source, { maxFileBytes: 1024 * 1024 })])).findings,
    });
    // The scanner alone does see the password: the legacy parser is what makes it one secret.
    const scanned = await scanSources([new DirectorySource(repo, { maxFileBytes: 1024 * 1024 })]);
    expect(scanned.findings.map((finding) => finding.secret)).toContain(PASSWORD);
    expect(candidates.map((candidate) => candidate.value)).toEqual([JSON.stringify({ password: PASSWORD, username: "billing" })]);
    expect(candidates[0]?.file).toBe("secured_modules/db.tf");
  });
});

describe("migrate's own state", () => {
  it("the state directory ignores itself for git and is never scanned", async () => {
    const repo = mkdtempSync(path.join(tmpdir(), "vaultlift-state-"));
    const state = stateDirectory(repo, {});
    expect(readFileSync(path.join(state, ".gitignore"), "utf8")).toBe("*\n");
    // A state directory from before that file, or whose .gitignore was removed, is still skipped.
    rmSync(path.join(state, ".gitignore"));
    writeFileSync(path.join(state, "journal.jsonl"), `{"event":"write","token":"4f9c2a7e1b3d5f8a0c6e9b2d4f7a1c3e5b8d0f2a","api_token":"Zq8vLr2NwT5yKp3HsX7m9QeR"}\n`);
    writeFileSync(path.join(repo, "settings.py"), `API_TOKEN = "Zq8vLr2NwT5yKp3HsX7m9QeR"\n`);
    const { findings } = await scanSources([new DirectorySource(repo, { maxFileBytes: 1024 * 1024 })]);
    expect(findings.map((finding) => finding.file)).toEqual(["settings.py"]);
  });
});
