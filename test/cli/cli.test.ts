import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { hoistGlobalOptions } from "../../scripts/cli.ts";
import { BIN, runCli } from "../helpers/run-cli.ts";

const CONTRACT = ["scan", "migrate", "secrets", "teardown"];
const SECRETS = ["list", "versions", "get", "dump", "create", "update", "delete", "restore", "diff"];

describe("vaultlift command line", () => {
  it("--help lists every command of the contract and the global flags", async () => {
    const { code, stdout } = await runCli(["--help"]);
    expect(code).toBe(0);
    for (const command of CONTRACT) expect(stdout).toMatch(new RegExp(`^  ${command}\\b`, "m"));
    for (const flag of ["--config", "--profile", "--region", "--endpoint-url", "--no-progress", "--debug"]) expect(stdout).toContain(flag);
  });

  it("every secrets subcommand has its own --help", async () => {
    const { stdout } = await runCli(["secrets", "--help"]);
    for (const sub of SECRETS) expect(stdout).toMatch(new RegExp(`^  ${sub}\\b`, "m"));
    const get = await runCli(["secrets", "get", "--help"]);
    expect(get.code).toBe(0);
    expect(get.stdout).toContain("--field <key>");
  });

  it("an unknown command is a usage error: exit 2", async () => {
    const { code, stderr } = await runCli(["frobnicate"]);
    expect(code).toBe(2);
    expect(stderr).toContain("unknown command 'frobnicate'");
  });

  it("a broken config gives one line with file:line and exit 2, before the command runs", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "vaultlift-cli-"));
    const file = path.join(dir, "vaultlift.yaml");
    writeFileSync(file, "org: acme\nregion: eu-west-1\nkms: {alias: alias/k}\nstate: {bucket: state-bucket}\nteams: [{name: a, colour: blue}]\n");
    const { code, stderr, stdout } = await runCli(["--config", file, "config", "validate"]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr.trim().split("\n")).toEqual([`vaultlift: ${file}:5 teams[0].colour: unknown key "colour"`]);
  });

  it("a missing --config file is named in the error", async () => {
    const { code, stderr } = await runCli(["--config", "/nonexistent/v.yaml", "config", "validate"]);
    expect(code).toBe(2);
    expect(stderr.trim()).toBe("vaultlift: /nonexistent/v.yaml: cannot read config: no such file");
  });

  it("config validate lists the declared names of the example config", async () => {
    const { code, stdout } = await runCli(["config", "validate"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/secretsmanager\s+random\s+\/acme\/payments\/prod\/api\/db-password/);
  });

  it("errors are one line without a stack trace unless --debug", async () => {
    const plain = await runCli(["--config", "/nonexistent/v.yaml", "config", "validate"]);
    expect(plain.stderr).not.toMatch(/\n\s+at /);
    const debug = await runCli(["--debug", "--config", "/nonexistent/v.yaml", "config", "validate"]);
    expect(debug.stderr).toMatch(/\n\s+at /);
  });

  it("stops quietly when the reader of its output goes away (| head)", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "vaultlift-pipe-"));
    writeFileSync(path.join(dir, "settings.py"), Array.from({ length: 5000 }, (_, i) => `password_${i} = "Xk9mP2vL8qRt4wZ7${i}"`).join("\n"));
    const { stderr, code } = await new Promise<{ stderr: string; code: string }>((resolve) => {
      execFile("bash", ["-c", `node ${BIN} --no-progress scan ${dir} | head -1 >/dev/null; echo "\${PIPESTATUS[0]}"`], (_error, stdout, stderr) =>
        resolve({ stderr, code: stdout.trim() }),
      );
    });
    expect(stderr).not.toMatch(/EPIPE|Error/);
    expect(["0", "1"]).toContain(code);
  });

  it("global flags work after the subcommand, and a subcommand's own --version stays its own", async () => {
    expect(hoistGlobalOptions(["node", "vaultlift", "secrets", "get", "x", "--version", "3", "--region", "eu-west-1", "--no-progress"])).toEqual([
      "node",
      "vaultlift",
      "--region",
      "eu-west-1",
      "--no-progress",
      "secrets",
      "get",
      "x",
      "--version",
      "3",
    ]);
    expect(hoistGlobalOptions(["node", "vaultlift", "scan", "--config=a.yaml", "--", "--debug"])).toEqual(["node", "vaultlift", "--config=a.yaml", "scan", "--", "--debug"]);
    const { code, stderr } = await runCli(["config", "validate", "--config", "/nonexistent/v.yaml"]);
    expect(code).toBe(2);
    expect(stderr.trim()).toBe("vaultlift: /nonexistent/v.yaml: cannot read config: no such file");
  });

  it("no credentials is one clear line, not an unexpected error", async () => {
    const env = { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_PROFILE: undefined, AWS_SHARED_CREDENTIALS_FILE: "/nonexistent", AWS_CONFIG_FILE: "/nonexistent", AWS_EC2_METADATA_DISABLED: "true" };
    const { code, stderr } = await runCli(["secrets", "get", "/acme/x", "--endpoint-url", "http://127.0.0.1:9", "--region", "eu-west-1"], { env });
    expect(code).toBe(3);
    expect(stderr.trim()).toMatch(/^vaultlift: no AWS credentials: set --profile or AWS_PROFILE/);
  });
});
