/**
 * The recipes users copy: the pre-commit hooks in `.pre-commit-hooks.yaml`, run as the
 * pre-commit framework runs them, and the CI step of docs/migrate.md that uploads SARIF.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, REPO_ROOT } from "../helpers/run-cli.ts";
import { sarifErrors } from "../helpers/sarif.ts";

const STAGED = "Hq3Lm8Zr2Xw9Vb6Nt4Ks1Pd7";
const BRANCH = "Tq8vX2mN6bL4kJ9pW3rZ7yH1";
const BASE = "Zx9vB2nQ7mW4kL8pR1tY6uH3";

interface Hook {
  id: string;
  entry: string;
  args?: string[];
  language: string;
  pass_filenames?: boolean;
}

let work: string;
/** A folder holding `vaultlift` -> bin/vaultlift.js: what an install puts on PATH. */
let binDir: string;

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), "vaultlift-recipes-"));
  binDir = path.join(work, "bin");
  mkdirSync(binDir);
  symlinkSync(BIN, path.join(binDir, "vaultlift"));
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

function newRepo(name: string): { dir: string; git: (...args: string[]) => string } {
  const dir = path.join(work, name);
  mkdirSync(dir);
  const git = (...args: string[]) => {
    const result = spawnSync("git", ["-c", "user.name=dev", "-c", "user.email=dev@example.com", "-c", "commit.gpgsign=false", ...args], { cwd: dir, encoding: "utf8" });
    if (result.status !== 0) throw new Error(`git ${args.join(" ")}: ${result.stderr}`);
    return result.stdout.trim();
  };
  git("init", "-q", "-b", "main");
  return { dir, git };
}

/** Runs a command as a hook runner or CI shell would: no CI variable set by us, `vaultlift` found on PATH. */
function run(file: string, args: string[], cwd: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${binDir}${path.delimiter}${process.env.PATH ?? ""}` };
  delete env.CI;
  delete env.VAULTLIFT_HASH_KEY;
  return spawnSync(file, args, { cwd, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 60_000 });
}

describe(".pre-commit-hooks.yaml", () => {
  const hooks = parse(readFileSync(path.join(REPO_ROOT, ".pre-commit-hooks.yaml"), "utf8")) as Hook[];
  const packageBins = Object.keys((JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { bin: Record<string, string> }).bin);

  it("declares the node hook and the system one", () => {
    expect(hooks.map((hook) => [hook.id, hook.language])).toEqual([
      ["vaultlift", "node"],
      ["vaultlift-system", "system"],
    ]);
  });

  for (const hook of hooks) {
    it(`${hook.id}: its entry refuses a staged secret and passes a clean index beside an untracked secret`, () => {
      // pre-commit splits the entry like a shell, appends args, and here no file names (pass_filenames: false).
      expect(hook.pass_filenames).toBe(false);
      const [command, ...words] = hook.entry.split(/\s+/);
      // language: node installs this package, so the entry's command must be one of its bins.
      expect(packageBins).toContain(command);
      const argv = [...words, ...(hook.args ?? [])];
      const { dir, git } = newRepo(`hook-${hook.id}`);
      writeFileSync(path.join(dir, "README.md"), "# app\n");
      git("add", ".");
      git("commit", "-qm", "start");

      writeFileSync(path.join(dir, "settings.py"), `api_secret = "${STAGED}"\n`);
      git("add", "settings.py");
      const refused = run(command as string, argv, dir);
      expect(refused.status, refused.stderr).toBe(1);
      expect(refused.stdout).toContain("settings.py");
      expect(refused.stdout + refused.stderr).not.toContain(STAGED);

      git("reset", "-q", "settings.py");
      writeFileSync(path.join(dir, "settings.py"), `api_secret = os.environ["API_SECRET"]\n`);
      git("add", "settings.py");
      // pre-commit leaves untracked files in place: one holding a secret is not part of the commit.
      writeFileSync(path.join(dir, "local.env"), `API_SECRET=${STAGED}\n`);
      const clean = run(command as string, argv, dir);
      expect(clean.status, clean.stdout + clean.stderr).toBe(0);
    });
  }
});

describe("the SARIF CI recipe in docs/migrate.md", () => {
  interface Step {
    run?: string;
    uses?: string;
    with?: Record<string, string>;
  }

  function recipeSteps(): Step[] {
    const docs = readFileSync(path.join(REPO_ROOT, "docs/migrate.md"), "utf8");
    const blocks = [...docs.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => match[1] as string);
    const workflow = blocks.find((block) => block.includes("upload-sarif"));
    expect(workflow, "docs/migrate.md has a workflow that uploads SARIF").toBeDefined();
    const jobs = (parse(workflow as string) as { jobs: Record<string, { steps: Step[] }> }).jobs;
    return Object.values(jobs).flatMap((job) => job.steps);
  }

  it("its scan step, run on a pull request's checkout, writes valid SARIF holding only the branch's finding", () => {
    const steps = recipeSteps();
    const scan = steps.find((step) => step.run?.startsWith("vaultlift scan"));
    const upload = steps.find((step) => step.uses?.startsWith("github/codeql-action/upload-sarif"));
    expect(scan).toBeDefined();
    const sarifFile = upload?.with?.sarif_file as string;
    expect(scan?.run).toContain(`--output ${sarifFile}`);

    const { dir, git } = newRepo("pull-request");
    writeFileSync(path.join(dir, "base.py"), `api_secret = "${BASE}"\n`);
    git("add", ".");
    git("commit", "-qm", "base");
    // actions/checkout with fetch-depth: 0 leaves the base branch as a remote-tracking ref.
    git("update-ref", "refs/remotes/origin/main", "HEAD");
    git("checkout", "-qb", "feature");
    writeFileSync(path.join(dir, "feature.py"), `api_secret = "${BRANCH}"\n`);
    git("add", ".");
    git("commit", "-qm", "feature");

    const command = (scan?.run as string).replaceAll("${{ github.base_ref }}", "main");
    // GitHub runs a `run:` step with bash -e.
    const result = run("bash", ["-e", "-c", command], dir);
    expect(result.status, result.stderr).toBe(1);
    expect(existsSync(path.join(dir, sarifFile))).toBe(true);
    const text = readFileSync(path.join(dir, sarifFile), "utf8");
    const log = JSON.parse(text) as { runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    expect(sarifErrors(log)).toEqual([]);
    expect(log.runs[0]?.results.map((entry) => entry.locations[0]?.physicalLocation.artifactLocation.uri)).toEqual(["feature.py"]);
    expect(text).not.toContain(BRANCH);
  });
});
