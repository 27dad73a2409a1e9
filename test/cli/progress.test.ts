/**
 * Progress bars are for a person watching a terminal: on stderr only when it is a TTY, never
 * in CI or with a machine-read --format, and never on stdout. `script` (util-linux) gives the
 * CLI a terminal, as a user's shell would.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN } from "../helpers/run-cli.ts";

const SECRET = "Hq3Lm8Zr2Xw9Vb6Nt4Ks1Pd7";
const BAR = "scanning ";

let work: string;

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), "vaultlift-progress-"));
  writeFileSync(path.join(work, "settings.py"), `api_secret = "${SECRET}"\n`);
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

function environment(ci: boolean): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, VAULTLIFT_HASH_KEY: Buffer.alloc(32, 7).toString("base64") };
  delete env.CI;
  if (ci) env.CI = "true";
  return env;
}

/** `vaultlift scan . ARGS` with stdout to a file and stderr on a terminal: what the terminal showed, and stdout. */
function scanOnTerminal(args: string[], options: { ci?: boolean } = {}): { terminal: string; stdout: string } {
  const out = path.join(work, "stdout.txt");
  const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} scan . ${args.join(" ")} > ${JSON.stringify(out)}`;
  const result = spawnSync("script", ["-qec", command, "/dev/null"], { cwd: work, env: environment(options.ci ?? false), encoding: "utf8", timeout: 60_000 });
  expect(result.error).toBeUndefined();
  return { terminal: result.stdout, stdout: readFileSync(out, "utf8") };
}

describe("progress", () => {
  it("shows on a terminal for a table report", () => {
    const { terminal, stdout } = scanOnTerminal(["--format", "table"]);
    expect(terminal).toContain(BAR);
    expect(stdout).not.toContain(BAR);
  });

  it("never with --format json or sarif, even on a terminal: stdout is only the report", () => {
    for (const format of ["json", "sarif"]) {
      const { terminal, stdout } = scanOnTerminal(["--format", format]);
      expect(terminal).not.toContain(BAR);
      expect(() => JSON.parse(stdout) as unknown).not.toThrow();
    }
  });

  it("never in CI or with --no-progress", () => {
    expect(scanOnTerminal(["--format", "table"], { ci: true }).terminal).not.toContain(BAR);
    expect(scanOnTerminal(["--format", "table", "--no-progress"]).terminal).not.toContain(BAR);
  });

  it("never when stderr is not a terminal: stdout pure JSON, stderr without a bar", () => {
    const result = spawnSync(process.execPath, [BIN, "scan", ".", "--format", "json"], { cwd: work, env: environment(false), encoding: "utf8", timeout: 60_000 });
    expect(result.status, result.stderr).toBe(1);
    expect(() => JSON.parse(result.stdout) as unknown).not.toThrow();
    expect(result.stderr).toBe("");
  });
});
