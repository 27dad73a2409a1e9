/**
 * Scores the built CLI (`node bin/vaultlift.js scan DIR --format json`) on the blind corpus of generate.ts:
 * recall and precision per family, and where it misses or over-reports (file:line only, never values).
 * Usage: tsx bench/blind/score.ts [--seed N] [--list] [--dir DIR]
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { generateCorpus, writeCorpus, type Positive } from "./generate.ts";

interface Finding {
  ruleId: string;
  file: string;
  line: number;
  column?: number;
  context?: string;
}

export interface FamilyScore {
  family: string;
  labelled: number;
  found: number;
  falsePositives: number;
  recall: number;
  precision: number;
}

export interface BlindScore {
  seed: number;
  families: FamilyScore[];
  overall: FamilyScore;
  negativesLabelled: number;
  negativesHit: number;
  misses: { file: string; line: number; family: string; kind: string }[];
  falsePositives: { file: string; line: number; ruleId: string; family: string; negative?: string; context?: string }[];
}

const ROOT = path.resolve(import.meta.dirname, "..", "..");

function runScan(tree: string): Finding[] {
  const out = path.join(path.dirname(tree), "report.json");
  const run = spawnSync(process.execPath, [path.join(ROOT, "bin", "vaultlift.js"), "scan", tree, "--format", "json", "--output", out], {
    encoding: "utf8",
    env: { ...process.env, VAULTLIFT_HASH_KEY: Buffer.alloc(32, 7).toString("base64") },
  });
  if (run.status !== 0 && run.status !== 1) throw new Error(`scan failed (exit ${run.status}): ${run.stderr.split("\n")[0]}`);
  return (JSON.parse(readFileSync(out, "utf8")) as { findings: Finding[] }).findings;
}

export function scoreBlind(seed = 20261201): BlindScore {
  const corpus = generateCorpus(seed);
  const dir = mkdtempSync(path.join(tmpdir(), "vaultlift-blind-"));
  try {
    const tree = writeCorpus(dir, corpus);
    const findings = runScan(tree);
    const byFile = new Map<string, Positive[]>();
    for (const p of corpus.positives) byFile.set(p.file, [...(byFile.get(p.file) ?? []), p]);
    const negativeAt = new Map(corpus.negatives.map((n) => [`${n.file}:${n.line}`, n.kind]));
    const matched = new Set<Positive>();
    const hitNegatives = new Set<string>();
    const fps: BlindScore["falsePositives"] = [];
    for (const finding of findings) {
      const candidates = (byFile.get(finding.file) ?? []).filter((p) => finding.line >= p.line && finding.line <= p.endLine);
      if (candidates.length > 0) {
        const open = candidates.filter((p) => !matched.has(p));
        const column = finding.column ?? 0;
        const best = open.sort((a, b) => Math.abs(a.column - column) - Math.abs(b.column - column))[0];
        if (best) matched.add(best);
        continue;
      }
      const where = `${finding.file}:${finding.line}`;
      const negative = negativeAt.get(where);
      if (negative) hitNegatives.add(where);
      fps.push({ file: finding.file, line: finding.line, ruleId: finding.ruleId, family: corpus.fileFamily.get(finding.file) ?? "unknown", negative, context: finding.context });
    }
    const families = [...new Set([...corpus.positives.map((p) => p.family), ...corpus.fileFamily.values()])].sort();
    const score = (family: string, positives: Positive[], falsePositives: number): FamilyScore => {
      const found = positives.filter((p) => matched.has(p)).length;
      return {
        family,
        labelled: positives.length,
        found,
        falsePositives,
        recall: positives.length === 0 ? 1 : found / positives.length,
        precision: found + falsePositives === 0 ? 1 : found / (found + falsePositives),
      };
    };
    return {
      seed,
      families: families.map((family) => score(family, corpus.positives.filter((p) => p.family === family), fps.filter((f) => f.family === family).length)),
      overall: score("overall", corpus.positives, fps.length),
      negativesLabelled: corpus.negatives.length,
      negativesHit: hitNegatives.size,
      misses: corpus.positives.filter((p) => !matched.has(p)).map(({ file, line, family, kind }) => ({ file, line, family, kind })),
      falsePositives: fps,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatScore(result: BlindScore): string {
  const rows = [...result.families, result.overall].map(
    (f) => `| ${f.family} | ${f.labelled} | ${f.found} | ${f.falsePositives} | ${f.recall.toFixed(3)} | ${f.labelled === 0 ? "-" : f.precision.toFixed(3)} |`,
  );
  return [
    `seed ${result.seed}; labelled negatives hit: ${result.negativesHit} of ${result.negativesLabelled}`,
    "",
    "| family | labelled | found | false positives | recall | precision |",
    "|---|---|---|---|---|---|",
    ...rows,
  ].join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const seedAt = args.indexOf("--seed");
  const result = scoreBlind(seedAt >= 0 ? Number(args[seedAt + 1]) : undefined);
  process.stdout.write(`${formatScore(result)}\n`);
  if (args.includes("--list")) {
    process.stdout.write("\nmisses:\n");
    for (const m of result.misses) process.stdout.write(`  ${m.file}:${m.line} ${m.family} ${m.kind}\n`);
    process.stdout.write("\nfalse positives:\n");
    for (const f of result.falsePositives) process.stdout.write(`  ${f.file}:${f.line} ${f.ruleId} (${f.family}${f.negative ? `, ${f.negative}` : ""}${f.context ? `, context ${f.context}` : ""})\n`);
  }
}
