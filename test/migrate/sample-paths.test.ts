import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_SAMPLE_PATHS } from "../../core/config.ts";
import { samplePathMatcher } from "../../scripts/migrate/collect.ts";
import { pathContext } from "../../scripts/scan/index.ts";
import { runCli } from "../helpers/run-cli.ts";
import { CONFIG } from "./fixtures.ts";

/** Paths with the kind the scanner gave them before the list moved to core/samples.ts: each must keep it, and migrate must skip it. */
const CLASSIFIED: [string, string][] = [
  ["testdata/creds.env", "fixture"],
  ["pkg/__fixtures__/db.json", "fixture"],
  ["src/__mocks__/client.ts", "fixture"],
  ["app/__snapshots__/x.snap", "fixture"],
  ["spec/fixtures/tokens.py", "fixture"],
  ["test/vcr/cassette.yaml", "fixture"],
  ["tests/test_app.py", "test"],
  ["pkg/app_test.go", "test"],
  ["src/app.spec.ts", "test"],
  ["src/app-test.js", "test"],
  ["src/main/java/AppTest.java", "test"],
  ["integration-tests/run.sh", "test"],
  ["conftest.py", "test"],
  ["examples/app.py", "example"],
  ["samples/config.yaml", "example"],
  ["demo/run.sh", "example"],
  [".env.example", "example"],
  ["config.env.sample", "example"],
  ["settings.example.json", "example"],
  ["config.php.dist", "example"],
  ["deploy/values.tpl", "example"],
  ["docs/setup.md", "docs"],
  ["website/index.html", "docs"],
  ["guide.rst", "docs"],
  ["README.md", "docs"],
  ["CHANGELOG", "docs"],
  ["s3://vault/examples/ssm-demo.py", "example"],
];
const LIVE = [".env", "app/settings.py", "src/testament.py", "s3://vault/ssm-prod.py", "k8s/secret.yaml", "contest/app.py", "src/latest_config.py"];

describe("one list of sample paths for scan and migrate (core/samples.ts)", () => {
  it("the scanner marks every path it marked before, with the same kind, and migrate skips each of them by default", () => {
    const isSample = samplePathMatcher(DEFAULT_SAMPLE_PATHS);
    for (const [file, context] of CLASSIFIED) {
      expect(pathContext(file), file).toBe(context);
      expect(isSample(file), file).toBe(true);
    }
    for (const file of LIVE) {
      expect(pathContext(file), file).toBeUndefined();
      expect(isSample(file), file).toBe(false);
    }
  });

  it("on one tree, every file `scan` marks as a sample is one `migrate` reports as skipped, and only those", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "vaultlift-samples-"));
    writeFileSync(path.join(dir, "vaultlift.yaml"), CONFIG);
    const repo = path.join(dir, "api");
    const files = ["testdata/creds.env", "__fixtures__/creds.env", "examples/creds.env", "docs/creds.env", "creds.env.example", "creds.sample", ".env.example", ".env"];
    files.forEach((file, index) => {
      mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
      writeFileSync(path.join(repo, file), `GITHUB_TOKEN=ghp_Q8wZ3kLm9Pz2xY7vB3nR5tW1aC6dE0fG4h${String(index).padStart(2, "0")}\n`);
    });
    const env = { VAULTLIFT_STATE_DIR: path.join(dir, "state"), AWS_ENDPOINT_URL: "http://127.0.0.1:9", AWS_ACCESS_KEY_ID: "x", AWS_SECRET_ACCESS_KEY: "x", AWS_REGION: "us-east-1" };
    const scan = await runCli(["--config", path.join(dir, "vaultlift.yaml"), "scan", repo, "--format", "json"], { cwd: dir, env });
    const findings = (JSON.parse(scan.stdout) as { findings: { file: string; context?: string }[] }).findings;
    expect(findings.map((finding) => finding.file).sort()).toEqual([...files].sort());
    const marked = findings.filter((finding) => finding.context !== undefined).map((finding) => finding.file).sort();
    expect(marked).toEqual(files.filter((file) => file !== ".env").sort());

    const plan = path.join(dir, "plan.json");
    await runCli(["--config", path.join(dir, "vaultlift.yaml"), "migrate", repo, "--env", "prod", "--plan-out", plan], { cwd: dir, env });
    const saved = JSON.parse(readFileSync(plan, "utf8")) as { targets: { sources: { file: string }[] }[]; skipped: { file: string; reason: string }[] };
    expect(saved.skipped.filter((skip) => skip.reason.includes("migrate.skipPaths")).map((skip) => skip.file).sort()).toEqual(marked);
    expect(saved.targets.flatMap((target) => target.sources.map((source) => source.file))).toEqual([".env"]);
  });
});
