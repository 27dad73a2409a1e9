// Scores the built CLI on the blind2 corpus: recall and precision per family, misses and false
// positives as file:line + family (never values), and the noise tree's counts apart.
import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { generate, type Label } from "./generate.ts";

interface Finding {
  ruleId: string;
  file: string;
  line: number;
  context?: string;
}

export interface FamilyScore {
  family: string;
  labels: number;
  found: number;
  findings: number;
  truePositives: number;
  recall: number;
  precision: number;
}

export interface Blind2Score {
  families: FamilyScore[];
  overall: FamilyScore;
  misses: string[];
  falsePositives: string[];
  noise: { findings: number; withoutContext: number; unmarked: string[] };
}

const repo = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

function scan(dir: string): Finding[] {
  let out: string;
  try {
    out = execFileSync(process.execPath, [join(repo, "bin", "vaultlift.js"), "scan", dir, "--format", "json", "--no-progress"], { encoding: "utf8", maxBuffer: 1 << 28 });
  } catch (err) {
    // exit 1 means findings; the JSON is still on stdout
    const e = err as { status?: number; stdout?: string };
    if (e.status !== 1 || !e.stdout) throw err;
    out = e.stdout;
  }
  return (JSON.parse(out) as { findings: Finding[] }).findings;
}

const ratio = (a: number, b: number) => (b === 0 ? 1 : a / b);

export function score(build = true): Blind2Score {
  if (build) execFileSync("npm", ["run", "build"], { cwd: repo, stdio: "ignore" });
  const corpus = generate();
  const findings = scan(corpus.tree);
  const covers = (l: Label, f: Finding) => f.file === l.file && f.line >= l.line && f.line <= (l.endLine ?? l.line);
  const found = new Set<Label>();
  const per = new Map<string, { labels: number; found: number; findings: number; tp: number }>();
  const bucket = (fam: string) => {
    let s = per.get(fam);
    if (!s) per.set(fam, (s = { labels: 0, found: 0, findings: 0, tp: 0 }));
    return s;
  };
  for (const l of corpus.labels) bucket(l.family).labels++;
  const falsePositives: string[] = [];
  for (const f of findings) {
    const hit = corpus.labels.find((l) => covers(l, f));
    if (hit) {
      found.add(hit);
      const s = bucket(hit.family);
      s.findings++;
      s.tp++;
    } else {
      const fam = corpus.fileFamily[f.file] ?? "unknown";
      bucket(fam).findings++;
      falsePositives.push(`${f.file}:${f.line} ${fam} (${f.ruleId})`);
    }
  }
  const misses: string[] = [];
  for (const l of corpus.labels) {
    if (found.has(l)) bucket(l.family).found++;
    else misses.push(`${l.file}:${l.line} ${l.family}`);
  }
  const mk = (family: string, s: { labels: number; found: number; findings: number; tp: number }): FamilyScore => ({
    family,
    labels: s.labels,
    found: s.found,
    findings: s.findings,
    truePositives: s.tp,
    recall: ratio(s.found, s.labels),
    precision: ratio(s.tp, s.findings),
  });
  const families = [...per.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, s]) => mk(k, s));
  const total = { labels: 0, found: 0, findings: 0, tp: 0 };
  for (const s of per.values()) {
    total.labels += s.labels;
    total.found += s.found;
    total.findings += s.findings;
    total.tp += s.tp;
  }
  const noiseFindings = scan(corpus.noise);
  const unmarked = noiseFindings.filter((f) => !f.context);
  return {
    families,
    overall: mk("overall", total),
    misses,
    falsePositives,
    noise: { findings: noiseFindings.length, withoutContext: unmarked.length, unmarked: unmarked.map((f) => `${f.file}:${f.line} (${f.ruleId})`) },
  };
}

export function formatScore(s: Blind2Score, verbose = true): string {
  const row = (f: FamilyScore) => `${f.family.padEnd(12)} labels ${String(f.labels).padStart(4)}  recall ${f.recall.toFixed(3)}  precision ${f.precision.toFixed(3)}  (findings ${f.findings})`;
  const lines = [...s.families.map(row), row(s.overall), `noise tree: ${s.noise.findings} findings, ${s.noise.withoutContext} without context`];
  if (verbose) {
    lines.push("", `misses (${s.misses.length}):`, ...s.misses.map((m) => "  " + m));
    lines.push("", `false positives (${s.falsePositives.length}):`, ...s.falsePositives.map((m) => "  " + m));
    lines.push("", "noise findings without context:", ...s.noise.unmarked.map((m) => "  " + m));
  }
  return lines.join("\n");
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  console.log(formatScore(score(!process.argv.includes("--no-build"))));
}
