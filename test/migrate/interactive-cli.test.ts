import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { CreateBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, REPO_ROOT } from "../helpers/run-cli.ts";
import { startLocalAws, type LocalAws } from "../../scripts/local-aws/index.ts";
import { makeWorkspace, s3Client } from "./fixtures.ts";

const SCRIPT = "/usr/bin/script";
const VALUES = { DB_PASSWORD: "tty-db-password-123", API_TOKEN: "tty-api-token-4567", EXAMPLE: "just-an-example-value" };

let aws: LocalAws;
let ws: ReturnType<typeof makeWorkspace>;

beforeAll(async () => {
  aws = await startLocalAws();
  ws = makeWorkspace();
  const s3 = s3Client(aws);
  await s3.send(new CreateBucketCommand({ Bucket: "tty-vault" }));
  const body = Object.entries(VALUES).map(([key, value]) => `${key}=${value}`).join("\n");
  await s3.send(new PutObjectCommand({ Bucket: "tty-vault", Key: "app.env", Body: body }));
  s3.destroy();
});

afterAll(async () => {
  await aws?.stop();
});

/** Runs the real CLI in a pseudo-terminal (util-linux `script`), so the prompts see a TTY. */
function inTerminal(args: string[]) {
  const command = [process.execPath, BIN, ...args].map((arg) => `'${arg}'`).join(" ");
  const child = spawn(SCRIPT, ["-qfec", command, "/dev/null"], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...aws.env(), VAULTLIFT_STATE_DIR: ws.state, CI: "", TERM: "xterm" },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let screen = "";
  child.stdout.on("data", (chunk: Buffer) => (screen += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (screen += chunk.toString()));
  const exit = new Promise<number>((resolve) => child.on("close", (code) => resolve(code ?? -1)));
  let seen = 0;
  return {
    exit,
    screen: () => screen,
    async waitFor(needle: string) {
      const deadline = Date.now() + 20_000;
      for (;;) {
        const index = screen.indexOf(needle, seen);
        if (index >= 0) {
          seen = index + needle.length;
          return;
        }
        if (Date.now() > deadline) throw new Error(`never saw "${needle}":\n${screen}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    press(keys: string) {
      child.stdin.write(keys);
    },
  };
}

const args = () => ["--config", ws.config, "migrate", "s3://tty-vault/", "--app", "api", "--interactive", "--journal", path.join(ws.state, "journal.jsonl"), "--baseline", ws.baseline];
const writes = () => aws.counters.writes();

describe.skipIf(!existsSync(SCRIPT))("vaultlift migrate --interactive in a terminal", () => {
  it("Ctrl-C at the confirmation leaves nothing written, not even the allowlist", async () => {
    aws.counters.reset();
    const tty = inTerminal(args());
    for (const question of ["[1/3]", "[2/3]"]) {
      await tty.waitFor(question);
      tty.press("\r");
    }
    await tty.waitFor("[3/3]");
    tty.press("\x1b[B\x1b[B\x1b[B\r");
    await tty.waitFor("to AWS now?");
    tty.press("\x03");
    expect(await tty.exit).toBe(130);
    expect(tty.screen()).toContain("interrupted: nothing was written");
    expect(writes()).toBe(0);
    expect(existsSync(ws.baseline)).toBe(false);
  }, 60_000);

  it("a second session resumes with the answers of the first; confirm writes the plan and the baseline", async () => {
    aws.counters.reset();
    const tty = inTerminal(args());
    await tty.waitFor("resumed: 3 answer(s) from an earlier session kept");
    expect(tty.screen()).not.toContain("[1/3]");
    await tty.waitFor("[create] /acme/payments/prod/api/db-password");
    await tty.waitFor("to AWS now?");
    tty.press("y\r");
    expect(await tty.exit, tty.screen()).toBe(0);
    expect(tty.screen()).toMatch(/created 2, modified 0, unchanged 0, verified 2, failed 0/);
    for (const value of Object.values(VALUES)) expect(tty.screen()).not.toContain(value);
    expect(aws.counters.get("secretsmanager.CreateSecret")).toBe(2);
    const baseline = JSON.parse(readFileSync(ws.baseline, "utf8")) as { findings: { fingerprint: string; file: string }[] };
    expect(baseline.findings).toEqual([expect.objectContaining({ file: "s3://tty-vault/app.env", fingerprint: expect.stringMatching(/^legacy:/) })]);
    expect(readFileSync(ws.baseline, "utf8")).not.toContain(VALUES.EXAMPLE);
  }, 60_000);
});
