import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it, onTestFinished } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
// Resolved from the project, not from the directory synth runs in.
const TSX = pathToFileURL(path.join(ROOT, "node_modules/tsx/dist/loader.mjs")).href;

/** Runs the cdktf app as `cdktf synth` does, from `cwd`, and returns every file it wrote by relative path. */
async function synthFrom(cwd: string): Promise<Map<string, string>> {
  await promisify(execFile)(process.execPath, ["--import", TSX, path.join(ROOT, "main.ts")], {
    cwd,
    env: { ...process.env, VAULTLIFT_CONFIG: path.join(ROOT, "vaultlift.yaml"), CDKTF_OUTDIR: undefined, CHECKPOINT_DISABLE: "1" },
  });
  const out = path.join(cwd, "cdktf.out");
  const files = readdirSync(out, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
  return new Map(files.map((entry) => [path.relative(out, path.join(entry.parentPath, entry.name)), readFileSync(path.join(entry.parentPath, entry.name), "utf8")]));
}

describe("npm run synth output", () => {
  it("is the same from any directory on any machine: no absolute path in any file", async () => {
    const [first, second] = [mkdtempSync(path.join(tmpdir(), "vaultlift-synth-a-")), mkdtempSync(path.join(tmpdir(), "vaultlift-synth-b-"))];
    onTestFinished(() => [first, second].forEach((dir) => rmSync(dir, { recursive: true, force: true })));
    const [a, b] = [await synthFrom(first), await synthFrom(second)];
    expect([...a.keys()].sort()).toContain(path.join("stacks", "state", "cdk.tf.json"));
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [file, text] of a) {
      expect(b.get(file), file).toBe(text);
      for (const absolute of [first, second, ROOT, tmpdir()]) expect(text.includes(absolute), `${file} holds ${absolute}`).toBe(false);
    }
  });
});
