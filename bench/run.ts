/**
 * `npm run bench`: every speed and detection-quality goal in one table, also written as JSON under bench/results/.
 * Figures depend on the machine; the goals are for 2 cores.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus } from "node:os";
import path from "node:path";
import { scoreBlind } from "./blind/score.ts";
import { score as scoreBlind2 } from "./blind2/score.ts";
import { benchDetection } from "./detection.ts";
import { benchGetSecret } from "./get-secret.ts";
import { benchMigration } from "./migrate.ts";
import { benchScan } from "./scan.ts";
import { benchStartup } from "./startup.ts";
import { benchSynth } from "./synth.ts";

interface Row {
  metric: string;
  value: string;
  goal: string;
  met?: boolean;
}

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
const only = new Set(process.argv.slice(2));
const wanted = (name: string) => only.size === 0 || only.has(name);
const rows: Row[] = [];
const results: Record<string, unknown> = { date: new Date().toISOString(), cores: availableParallelism(), cpu: cpus()[0]?.model };
const fixed = (value: number, digits = 1) => value.toFixed(digits);

if (wanted("scan")) {
  process.stderr.write("bench: scan (generates a 200 MB tree and a 5,000-commit repository on first run)...\n");
  const scan = await benchScan();
  results.scan = scan;
  rows.push({
    metric: "scan throughput",
    value: `${fixed(scan.mbPerSecond)} MB/s (median; ${scan.mbPerSecondRange.map((rate) => fixed(rate)).join("-")}; load ${fixed(scan.load)})`,
    goal: ">= 100 MB/s",
    met: scan.mbPerSecond >= 100,
  });
  rows.push(
    scan.rgMbPerSecond === undefined
      ? { metric: "ripgrep reference", value: "not run: rg is not installed (apt-get install ripgrep)", goal: "within 3x" }
      : {
          metric: "ripgrep reference",
          value: `${fixed(scan.rgMbPerSecond)} MB/s (${fixed(scan.rgMbPerSecond / scan.mbPerSecond)}x)`,
          goal: "within 3x",
          met: scan.rgMbPerSecond / scan.mbPerSecond <= 3,
        },
  );
  rows.push({ metric: "history scan", value: `${fixed(scan.historyCommitsPerSecond)} commits/s`, goal: "-" });
  rows.push(
    scan.nodeModulesMbPerSecond === undefined
      ? { metric: "scan of node_modules", value: "no node_modules", goal: "-" }
      : { metric: "scan of node_modules", value: `${fixed(scan.nodeModulesMbPerSecond)} MB/s (${fixed(scan.nodeModulesMb ?? 0, 0)} MB)`, goal: "-" },
  );
}
if (wanted("detection")) {
  process.stderr.write("bench: detection quality on the generated labelled set...\n");
  const detection = await benchDetection();
  results.detection = detection.families.map(({ missed, noise, ...family }) => ({ ...family, missed: missed.length, noise: noise.length }));
  for (const family of detection.families) {
    rows.push({
      metric: `detection ${family.family} (${family.labelled} labelled)`,
      value: `recall ${fixed(family.recall, 3)}, precision ${fixed(family.precision, 3)}`,
      goal: ">= 0.90 / >= 0.95",
      met: family.recall >= 0.9 && family.precision >= 0.95,
    });
  }
  for (const note of detection.notes) process.stderr.write(`bench: detection: ${note}\n`);
}
if (wanted("blind")) {
  process.stderr.write("bench: detection quality of the built CLI on the independently written corpus (bench/blind; npm run build first)...\n");
  const blind = scoreBlind();
  results.blind = { families: blind.families, overall: blind.overall, misses: blind.misses.length, falsePositives: blind.falsePositives.length };
  for (const family of [...blind.families.filter((f) => f.labelled > 0), blind.overall]) {
    rows.push({
      metric: `blind ${family.family} (${family.labelled} labelled)`,
      value: `recall ${fixed(family.recall, 3)}, precision ${fixed(family.precision, 3)}`,
      goal: ">= 0.90 / >= 0.95",
      met: family.recall >= 0.9 && family.precision >= 0.95,
    });
  }
  const negative = blind.families.find((f) => f.family === "negative");
  rows.push({ metric: "blind findings in look-alike-only files", value: String(negative?.falsePositives ?? 0), goal: "0", met: (negative?.falsePositives ?? 0) === 0 });
}
if (wanted("blind2")) {
  process.stderr.write("bench: detection quality of the built CLI on the second independently written corpus and its noise tree (bench/blind2; npm run build first)...\n");
  const blind2 = scoreBlind2(false);
  results.blind2 = { families: blind2.families, overall: blind2.overall, misses: blind2.misses.length, falsePositives: blind2.falsePositives.length, noise: { findings: blind2.noise.findings, withoutContext: blind2.noise.withoutContext } };
  for (const family of [...blind2.families, blind2.overall]) {
    rows.push({
      metric: `blind2 ${family.family} (${family.labels} labelled)`,
      value: `recall ${fixed(family.recall, 3)}, precision ${fixed(family.precision, 3)}`,
      goal: ">= 0.90 / >= 0.95",
      met: family.recall >= 0.9 && family.precision >= 0.95,
    });
  }
  rows.push({ metric: "blind2 noise-tree findings without context", value: `${blind2.noise.withoutContext} of ${blind2.noise.findings}`, goal: "0", met: blind2.noise.withoutContext === 0 });
}
if (wanted("synth")) {
  process.stderr.write("bench: synth of 1,000 secrets...\n");
  const synth = await benchSynth(1000);
  results.synth = synth;
  rows.push({ metric: `synth ${synth.secrets} secrets`, value: `${fixed(synth.seconds, 2)} s`, goal: "< 5 s", met: synth.seconds < 5 });
}
if (wanted("migrate")) {
  process.stderr.write("bench: migration of 10,000 secrets through the CLI against the local endpoint...\n");
  const migration = await benchMigration(10_000);
  results.migration = migration;
  rows.push({ metric: `migrate ${migration.secrets} secrets`, value: `${fixed(migration.seconds)} s`, goal: "-" });
  rows.push({ metric: "API calls per migrated secret", value: fixed(migration.callsPerSecret, 3), goal: "-" });
  rows.push({ metric: "re-run wall time", value: `${fixed(migration.rerunSeconds)} s`, goal: "-" });
  rows.push({
    metric: "re-run read calls per unchanged secret",
    value: fixed(migration.rerunReadCallsPerSecret, 3),
    goal: "<= 0.06",
    met: migration.rerunReadCallsPerSecret <= 0.06,
  });
  rows.push({ metric: "re-run writes per unchanged secret", value: fixed(migration.rerunWritesPerSecret, 3), goal: "0", met: migration.rerunWritesPerSecret === 0 });
}
if (wanted("cache")) {
  const cache = await benchGetSecret();
  results.getSecret = cache;
  rows.push({ metric: "getSecret cache hit", value: `${fixed(cache.hitMicroseconds, 2)} µs (${cache.apiCallsForHits} API calls)`, goal: "0 API calls", met: cache.apiCallsForHits === 0 });
  rows.push({ metric: "getSecret miss (local endpoint)", value: `${fixed(cache.missMs)} ms`, goal: "-" });
}

if (wanted("startup")) {
  process.stderr.write("bench: start-up against the aws CLI, and the installed size of the package...\n");
  const startup = await benchStartup();
  results.startup = startup;
  rows.push(
    startup.ratio === undefined
      ? { metric: "secrets get vs aws CLI", value: `${fixed(startup.vaultliftGetMs)} ms (aws CLI not installed)`, goal: "<= 0.5x" }
      : {
          metric: "secrets get vs aws CLI",
          value: `${fixed(startup.vaultliftGetMs)} ms vs ${fixed(startup.awsGetMs ?? 0)} ms (${fixed(startup.ratio, 2)}x)`,
          goal: "<= 0.5x",
          met: startup.ratio <= 0.5,
        },
  );
  rows.push({ metric: "vaultlift --help", value: `${fixed(startup.helpMs)} ms (node alone: ${fixed(startup.nodeMs)} ms)`, goal: "< 150 ms", met: startup.helpMs < 150 });
  rows.push({ metric: "install size (--omit=dev --omit=peer)", value: `${fixed(startup.installMegabytes)} MB`, goal: "<= 200 MB", met: startup.installMegabytes <= 200 });
}

const widths = [0, 1, 2].map((column) => Math.max(...[["metric", "value", "goal"], ...rows.map((r) => [r.metric, r.value, r.goal])].map((cells) => (cells[column] ?? "").length)));
const line = (cells: string[]) => cells.map((cell, index) => cell.padEnd(widths[index] ?? 0)).join("  ");
console.log(line(["metric", "value", "goal"]) + "  met");
for (const row of rows) console.log(`${line([row.metric, row.value, row.goal])}  ${row.met === undefined ? "" : row.met ? "yes" : "NO"}`);

const dir = path.join(import.meta.dirname, "results");
mkdirSync(dir, { recursive: true });
const text = `${JSON.stringify({ ...results, rows }, null, 2)}\n`;
writeFileSync(path.join(dir, `${String(results.date).replace(/[:.]/g, "-")}.json`), text);
writeFileSync(path.join(dir, "latest.json"), text);
console.log(`\nwritten to bench/results/latest.json`);
