import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.ts";

const dir = mkdtempSync(path.join(tmpdir(), "vaultlift-names-"));
const bytesPath = (...parts: (string | Buffer)[]) => Buffer.concat(parts.map((part) => (typeof part === "string" ? Buffer.from(part) : part)));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("file names that are not UTF-8", () => {
  it("scans such a file and reports its name escaped; a directory so named is skipped and said", async () => {
    // "café.env" in Latin-1: the byte 0xe9 alone is not UTF-8.
    const secret = ["Zq4", "vN8", "kLp2", "Wx7", "Rt5", "mBs"].join("");
    writeFileSync(bytesPath(dir, "/caf", Buffer.from([0xe9]), ".env"), `DB_PASSWORD=${secret}\n`);
    mkdirSync(bytesPath(dir, "/d", Buffer.from([0xff])));
    writeFileSync(path.join(dir, "plain.txt"), "nothing here\n");
    const result = await runCli(["scan", dir, "--format", "json"]);
    expect(result.code, result.stderr).toBe(1);
    const report = JSON.parse(result.stdout) as { findings: { file: string; ruleId: string }[]; stats: { files: number } };
    expect(report.findings.map((finding) => finding.file)).toEqual(["caf\\xe9.env"]);
    expect(result.stdout).not.toContain(secret);
    expect(result.stderr).toContain('skipped "d\\\\xff": a directory whose name is not UTF-8');
  });
});
