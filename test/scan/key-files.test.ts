/**
 * Private keys made by the real tools at test time (ssh-keygen, openssl, puttygen from
 * Debian's openssh-client, openssl and putty-tools), found as a user's scan finds them.
 * Under CI=true a missing tool fails the test instead of skipping it.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DirectorySource, scanSources, type Finding } from "../../scripts/scan/index.ts";

const has = (tool: string, args: string[]) => spawnSync(tool, args, { stdio: "ignore" }).error === undefined;
const ci = process.env.CI === "true";
const tools = { "ssh-keygen": has("ssh-keygen", ["-?"]), openssl: has("openssl", ["version"]), puttygen: has("puttygen", ["--version"]) };
const needs = (tool: keyof typeof tools) => !tools[tool] && !ci;

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "vaultlift-keys-"));
  await writeFile(path.join(dir, "passphrase"), "correct horse battery staple\n");
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function run(tool: string, args: string[]): void {
  execFileSync(tool, args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
}

async function scanOne(file: string): Promise<{ findings: Finding[]; content: string }> {
  const report = await scanSources([new DirectorySource(dir, { maxFileBytes: 1 << 20 })], { workers: 0 });
  return { findings: report.findings.filter((finding) => finding.file === file), content: await readFile(path.join(dir, file), "utf8") };
}

/** The whole key block, from BEGIN to END (or the whole .ppk), is the one finding of the file. */
async function expectWholeKey(file: string, ruleId: string): Promise<void> {
  const { findings, content } = await scanOne(file);
  expect(findings.map((finding) => [finding.ruleId, finding.line, finding.column])).toEqual([[ruleId, 1, 1]]);
  expect(content.trimEnd()).toBe(findings[0]?.secret);
  expect(JSON.stringify(findings)).not.toContain(content.split("\n")[2]);
}

describe("keys made by ssh-keygen", () => {
  it.skipIf(needs("ssh-keygen"))("finds OpenSSH ed25519, RSA and passphrase-protected ECDSA keys", async () => {
    run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "deploy@acme", "-f", "id_ed25519"]);
    run("ssh-keygen", ["-q", "-t", "rsa", "-b", "3072", "-N", "", "-f", "id_rsa"]);
    run("ssh-keygen", ["-q", "-t", "ecdsa", "-N", "s3cret-passphrase", "-f", "id_ecdsa"]);
    for (const file of ["id_ed25519", "id_rsa", "id_ecdsa"]) await expectWholeKey(file, "private-key");
    // The public halves are not secrets.
    const report = await scanSources([new DirectorySource(dir, { maxFileBytes: 1 << 20 })], { workers: 0 });
    expect(report.findings.filter((finding) => finding.file.endsWith(".pub"))).toEqual([]);
  });
});

describe("keys made by openssl", () => {
  it.skipIf(needs("openssl"))("finds PKCS#8, encrypted PKCS#8, traditional encrypted PEM and EC keys", async () => {
    run("openssl", ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "pkcs8.pem"]);
    run("openssl", ["pkcs8", "-topk8", "-in", "pkcs8.pem", "-out", "encrypted-pkcs8.pem", "-passout", "file:passphrase"]);
    run("openssl", ["rsa", "-in", "pkcs8.pem", "-aes256", "-traditional", "-passout", "file:passphrase", "-out", "traditional.key"]);
    run("openssl", ["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ec.key"]);
    const traditional = await readFile(path.join(dir, "traditional.key"), "utf8");
    expect(traditional).toContain("Proc-Type: 4,ENCRYPTED");
    for (const file of ["pkcs8.pem", "encrypted-pkcs8.pem", "traditional.key", "ec.key"]) await expectWholeKey(file, "private-key");
  });
});

describe("keys made by puttygen", () => {
  it.skipIf(needs("puttygen"))("finds PuTTY .ppk keys, plain and passphrase-protected", async () => {
    run("puttygen", ["-q", "-t", "ed25519", "-o", "plain.ppk", "--new-passphrase", "/dev/null"]);
    run("puttygen", ["-q", "-t", "rsa", "-b", "2048", "-o", "protected.ppk", "--new-passphrase", "passphrase"]);
    for (const file of ["plain.ppk", "protected.ppk"]) await expectWholeKey(file, "putty-private-key");
  });
});
