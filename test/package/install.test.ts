import { execFile, spawnSync } from "node:child_process";
import { promisify } from "node:util";
import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { CreateSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalAws, type LocalAws } from "../../scripts/local-aws/index.ts";
import { packAndInstall, type InstalledPackage } from "../helpers/package.ts";

let installed: InstalledPackage;
let aws: LocalAws;

async function createSecret(name: string, value: string): Promise<void> {
  const client = new SecretsManagerClient({ endpoint: aws.endpoint, region: aws.region, credentials: aws.credentials });
  await client.send(new CreateSecretCommand({ Name: name, SecretString: value }));
  client.destroy();
}

beforeAll(async () => {
  installed = packAndInstall();
  aws = await startLocalAws({ s3: false });
}, 300_000);

afterAll(async () => {
  await aws?.stop();
  if (installed) rmSync(installed.dir, { recursive: true, force: true });
});

/** Runs a program in the installed project without blocking this process, which serves the local endpoint. */
async function run(file: string, args: string[], env: Record<string, string> = {}): Promise<{ stdout: string; stderr: string }> {
  return promisify(execFile)(file, args, { cwd: installed.project, encoding: "utf8", timeout: 60_000, env: { ...process.env, ...env, NODE_OPTIONS: "" } });
}

/** Plain `node`: no tsx, no loader. */
const node = (args: string[], env: Record<string, string> = {}) => run(process.execPath, args, env);

describe("the published package", () => {
  it("ships the compiled product only: no tests, bench, fixtures, demo or TypeScript sources", () => {
    expect(installed.files).toContain("bin/vaultlift.js");
    expect(installed.files).toContain("dist/scripts/index.js");
    expect(installed.files).toContain("dist/scripts/index.d.ts");
    expect(installed.files).toContain("dist/scripts/index.cjs");
    expect(installed.files).toContain("dist/stacks/constructs/index.d.ts");
    expect(installed.files.some((file) => file.startsWith("dist/cli/"))).toBe(true);
    const unwanted = installed.files.filter((file) => /^(test|bench|scripts|core|stacks)\//.test(file) || /(^|\/)demo\.|\.test\.|fixtures?\//.test(file) || (file.endsWith(".ts") && !file.endsWith(".d.ts") && !file.endsWith(".d.cts")));
    expect(unwanted).toEqual([]);
  });

  it("installs without cdktf or the provider bindings", () => {
    for (const peer of ["cdktf", "@cdktf/provider-aws", "constructs", "tsx"]) {
      expect(spawnSync(process.execPath, ["-e", `require.resolve(${JSON.stringify(peer)})`], { cwd: installed.project }).status, peer).not.toBe(0);
    }
  });

  it("getSecret works from import and from require under plain node", async () => {
    const name = "/acme/payments/dev/api/db-password";
    await createSecret(name, "s3cr3t-from-package");
    const env = { ...aws.env(), VAULTLIFT_TEST_SECRET: name };
    writeFileSync(
      path.join(installed.project, "esm.mjs"),
      'import { getSecret, VaultliftError } from "vaultlift";\nconst value = await getSecret(process.env.VAULTLIFT_TEST_SECRET, { endpoint: process.env.AWS_ENDPOINT_URL });\nprocess.stdout.write(`${typeof VaultliftError}:${value.length}`);\n',
    );
    writeFileSync(
      path.join(installed.project, "cjs.cjs"),
      'const { getSecret, SecretsManagerStore } = require("vaultlift");\ngetSecret(process.env.VAULTLIFT_TEST_SECRET, { endpoint: process.env.AWS_ENDPOINT_URL }).then((value) => process.stdout.write(`${typeof SecretsManagerStore}:${value === "s3cr3t-from-package"}`));\n',
    );
    const esm = await node(["esm.mjs"], env);
    expect(esm.stderr).toBe("");
    expect(esm.stdout).toBe(`function:${"s3cr3t-from-package".length}`);
    const cjs = await node(["cjs.cjs"], env);
    expect(cjs.stderr).toBe("");
    expect(cjs.stdout).toBe("function:true");
  });

  it("the installed vaultlift binary runs: --help, and a read against the local endpoint", async () => {
    const bin = path.join(installed.project, "node_modules/.bin/vaultlift");
    const help = (await run(bin, ["--help"])).stdout;
    expect(help).toContain("Usage: vaultlift");
    expect(help).toMatch(/secrets\s+list, read, write/);
    await createSecret("/acme/payments/dev/api/token", "t-1");
    const get = await run(bin, ["secrets", "get", "/acme/payments/dev/api/token"], aws.env());
    expect(get.stderr).toBe("");
    expect(get.stdout).toBe("t-1");
  });
});

describe("vaultlift/constructs", () => {
  it("exports every construct under stacks/constructs", async () => {
    const { readdirSync } = await import("node:fs");
    const dir = path.join(import.meta.dirname, "../../stacks/constructs");
    const entry = (await import("../../stacks/constructs/index.ts")) as Record<string, unknown>;
    const files = readdirSync(dir).filter((file) => file.endsWith(".ts") && !file.startsWith("index."));
    for (const file of files) {
      const module = (await import(path.join(dir, file))) as Record<string, unknown>;
      for (const name of Object.keys(module)) expect(entry[name], `${file}: ${name}`).toBe(module[name]);
    }
    expect(files.length).toBeGreaterThan(5);
  });
});
