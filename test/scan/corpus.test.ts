/**
 * Detection quality on the generated corpus: per-type recall of at least 0.95 and at
 * most one false positive per 10,000 look-alike lines.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DirectorySource, RULES, scanSources, type ScanReport } from "../../scripts/scan/index.ts";
import { KNOWN_FORMAT_RULE_IDS } from "../../scripts/scan/rules.ts";
import { generateCorpus, type Corpus } from "./corpus.ts";

let root: string;
let corpus: Corpus;
let report: ScanReport;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "vaultlift-corpus-"));
  corpus = await generateCorpus(root, { perType: 20, lookalikeLines: 60_000 });
  report = await scanSources([new DirectorySource(root, { maxFileBytes: 5 * 1024 * 1024 })], { workers: 0 });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("the generated corpus", () => {
  // Every rule also carries its own samples, checked in rule-samples.test.ts.
  it("has samples of at least 60 known credential formats, and none of a rule that does not exist", () => {
    const types = new Set(corpus.secrets.map((secret) => secret.ruleId));
    const ids = new Set(RULES.map((rule) => rule.id));
    expect([...types].filter((id) => !ids.has(id))).toEqual([]);
    expect(KNOWN_FORMAT_RULE_IDS.filter((id) => types.has(id)).length).toBeGreaterThanOrEqual(60);
    expect(corpus.lookalikeLines).toBeGreaterThanOrEqual(10_000);
  });
});

describe("detection on the corpus", () => {
  it("finds at least 95% of the secrets of every type, with the right rule, line and value", () => {
    const found = new Set(report.findings.map((f) => `${f.ruleId}\0${f.file}\0${f.line}\0${f.secret}`));
    const perRule = new Map<string, { total: number; hit: number; missed: string[] }>();
    for (const secret of corpus.secrets) {
      const entry = perRule.get(secret.ruleId) ?? { total: 0, hit: 0, missed: [] };
      entry.total += 1;
      if (found.has(`${secret.ruleId}\0${secret.file}\0${secret.line}\0${secret.secret}`)) entry.hit += 1;
      else entry.missed.push(`${secret.file}:${secret.line}`);
      perRule.set(secret.ruleId, entry);
    }
    const weak = [...perRule].filter(([, entry]) => entry.hit / entry.total < 0.95).map(([id, entry]) => `${id} ${entry.hit}/${entry.total} missed ${entry.missed.slice(0, 3).join(", ")}`);
    expect(weak).toEqual([]);
  });

  it("names the variable or parameter a value was assigned to", () => {
    const byLocation = new Map(report.findings.map((f) => [`${f.file}:${f.line}:${f.ruleId}`, f]));
    const wrong = corpus.secrets
      .filter((secret) => secret.key !== undefined)
      .map((secret) => ({ secret, finding: byLocation.get(`${secret.file}:${secret.line}:${secret.ruleId}`) }))
      .filter(({ secret, finding }) => finding && finding.key !== secret.key)
      .map(({ secret, finding }) => `${secret.file}:${secret.line} expected ${secret.key}, got ${finding?.key}`);
    expect(wrong).toEqual([]);
  });

  it("raises at most one false positive per 10,000 look-alike lines", () => {
    const lookalikes = new Set(corpus.lookalikeFiles);
    const falsePositives = report.findings.filter((f) => lookalikes.has(f.file)).map((f) => `${f.ruleId} ${f.file}:${f.line} ${f.redacted}`);
    expect(falsePositives.length, falsePositives.join("\n")).toBeLessThanOrEqual(Math.floor(corpus.lookalikeLines / 10_000));
    expect(falsePositives).toEqual([]);
  });

  it("never puts a value in a serialised finding", () => {
    const serialised = JSON.stringify(report.findings);
    const leaked = corpus.secrets.filter((secret) => secret.secret.length >= 8 && serialised.includes(secret.secret));
    expect(leaked.map((secret) => secret.ruleId)).toEqual([]);
  });
});
