/**
 * Scanner speed: MB/s on a generated tree of realistic source (at least 200 MB), the same
 * tree through ripgrep with the rules' patterns as the reference, and commits/s of
 * `--history` on a generated repository of 5,000 commits, and MB/s on the repository's own node_modules.
 *
 *   npx tsx bench/scan.ts          (the ripgrep row needs rg: apt-get install ripgrep; without it the row says so)
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, realpathSync, writeFileSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { DirectorySource, GitHistorySource, RULES, scanSources, type ScanReport } from "../scripts/scan/index.ts";
import { Gen, TOKEN_SPECS, seeded } from "../test/scan/corpus.ts";

const TREE_BYTES = 210 * 1024 * 1024;
const HISTORY_COMMITS = 5000;
const WORK = path.join(tmpdir(), "vaultlift-bench-scan");

/** Timed runs of the tree scan and of ripgrep; the median is reported, so one run slowed by other work on a shared machine does not decide. */
const RUNS = 3;

export interface ScanBench {
  /** Median of RUNS scans of the generated tree. */
  mbPerSecond: number;
  /** The slowest and fastest of those runs. */
  mbPerSecondRange: [number, number];
  /** CPU seconds (user + system, all threads) of the median run: what the scan costs whatever else shares the cores. */
  cpuSeconds: number;
  /** MB per CPU second of the median run: steadier than MB/s on a loaded machine. */
  mbPerCpuSecond: number;
  /** The 1-minute load average before the runs: above the core count, other work shared the CPUs. */
  load: number;
  rgMbPerSecond?: number;
  historyCommitsPerSecond: number;
  /** The same scan over the repository's own node_modules: real code, real keyword density. */
  nodeModulesMbPerSecond?: number;
  nodeModulesMb?: number;
  nodeModulesCpuSeconds?: number;
}

export async function benchScan(): Promise<ScanBench> {
  const tree = path.join(WORK, "tree");
  const bytes = await ensureTree(tree);
  const load = loadavg()[0] ?? 0;
  const scans: Timed<ScanReport>[] = [];
  const rgRuns: number[] = [];
  // Interleaved, so both see the same load.
  for (let run = 0; run < RUNS; run += 1) {
    scans.push(await time(() => scanSources([new DirectorySource(tree, { maxFileBytes: 5 * 1024 * 1024 })])));
    const rg = ripgrepSeconds(tree);
    if (rg !== undefined) rgRuns.push(rg);
  }
  const rates = scans.map((run) => bytes / 1e6 / run.seconds).sort((a, b) => a - b);
  const mbPerSecond = median(rates);
  const scanned = scans.find((run) => bytes / 1e6 / run.seconds === mbPerSecond) as Timed<ScanReport>;
  const rgSeconds = rgRuns.length > 0 ? median(rgRuns) : undefined;
  const repo = path.join(WORK, "repo");
  await ensureRepository(repo);
  const history = await time(() => scanSources([new GitHistorySource(repo, { maxFileBytes: 5 * 1024 * 1024 })]));
  const commits = history.value.stats.commits ?? 0;
  const modules = path.join(import.meta.dirname, "..", "node_modules");
  const real = existsSync(modules) ? await time(() => scanSources([new DirectorySource(realpathSync(modules), { maxFileBytes: 5 * 1024 * 1024 })])) : undefined;
  const realMb = real ? real.value.stats.bytes / 1e6 : undefined;
  const result: ScanBench = {
    mbPerSecond: round(mbPerSecond),
    mbPerSecondRange: [round(rates[0] as number), round(rates[rates.length - 1] as number)],
    cpuSeconds: round(scanned.cpuSeconds),
    mbPerCpuSecond: round(bytes / 1e6 / scanned.cpuSeconds),
    load: round(load),
    ...(rgSeconds !== undefined && { rgMbPerSecond: round(bytes / 1e6 / rgSeconds) }),
    historyCommitsPerSecond: round(commits / history.seconds),
    ...(real && realMb !== undefined && { nodeModulesMbPerSecond: round(realMb / real.seconds), nodeModulesMb: round(realMb), nodeModulesCpuSeconds: round(real.cpuSeconds) }),
  };
  details = { bytes, files: scanned.value.stats.files, findings: scanned.value.findings.length, seconds: scanned.seconds, rgSeconds, commits, historySeconds: history.seconds, historyFindings: history.value.findings.length, nodeModulesFindings: real?.value.findings.length };
  return result;
}

let details: Record<string, number | undefined> = {};

interface Timed<T> {
  value: T;
  seconds: number;
  cpuSeconds: number;
}

async function time<T>(run: () => Promise<T>): Promise<Timed<T>> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const value = await run();
  const used = process.cpuUsage(cpu);
  return { value, seconds: (performance.now() - started) / 1000, cpuSeconds: (used.user + used.system) / 1e6 };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

/** Lines of ordinary source in several languages, with the keyword density of real code. */
function sourceLines(g: Gen): string[] {
  const names = ["user", "order", "invoice", "session", "request", "config", "client", "handler", "payload", "result", "token", "cacheKey", "password"];
  const lines: string[] = [];
  for (let i = 0; i < 4000; i += 1) {
    const a = g.pick(names);
    const b = g.pick(names);
    const n = g.int(0, 9999);
    lines.push(
      g.pick([
        `const ${a}${n} = await ${b}Service.find({ id: ${a}Id, limit: ${n} });`,
        `  if (!${a} || ${a}.length === 0) return res.status(404).json({ error: "${b} not found" });`,
        `def get_${a}_${n}(self, ${b}_id: int) -> Optional[${a.charAt(0).toUpperCase()}${a.slice(1)}]:`,
        `        return self.repository.get(${b}_id=${b}_id, include_deleted=False)`,
        `\tif err := ${a}.Validate(ctx, ${b}); err != nil {`,
        `\t\treturn fmt.Errorf("validate ${a} %d: %w", ${n}, err)`,
        `  ${a.replace(/password|token/, "label")}_${b.replace(/password|token/, "label")}: "${g.chars("abcdefghijklmnopqrstuvwxyz-", g.int(4, 16))}"`,
        `    "${a}": { "type": "string", "maxLength": ${n} },`,
        `// ${a} is refreshed every ${n} ms so the ${b} cache stays warm`,
        `import { ${a}, ${b} } from "../${a}/${b}.js";`,
        `export function ${a}To${b}(${a}: ${a}Input): ${b}Output { return map${n}(${a}); }`,
        `    expect(${a}.${b}).toEqual(${n});`,
        `password_hash = hasher.hash(request.form["password"])`,
        `token = jwt.encode(claims, settings.JWT_SECRET, algorithm="HS256")`,
        `const key = \`\${${a}.id}:\${${b}.id}\`;`,
        `url = f"https://api.internal/${a}/{${b}_id}?page=${n}"`,
        `  "integrity": "sha512-${g.chars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", 86)}==",`,
        "",
        "}",
      ]),
    );
  }
  return lines;
}

async function ensureTree(root: string): Promise<number> {
  const marker = path.join(root, ".bench-bytes");
  if (existsSync(marker)) return Number(await readFile(marker, "utf8"));
  await rm(root, { recursive: true, force: true });
  const g = new Gen(seeded(1));
  const lines = sourceLines(g);
  const secrets = Object.values(TOKEN_SPECS);
  const extensions = ["ts", "js", "py", "go", "yaml", "json", "rb", "java"];
  let total = 0;
  for (let file = 0; total < TREE_BYTES; file += 1) {
    const target = g.int(2_000, 40_000);
    const parts: string[] = [];
    let size = 0;
    while (size < target) {
      const line = lines[Math.floor(g.random() * lines.length)] as string;
      parts.push(line);
      size += line.length + 1;
    }
    if (file % 200 === 0) parts.splice(g.int(0, parts.length), 0, `const upstream = "${(g.pick(secrets) as (typeof secrets)[number]).value(g)}";`);
    const content = `${parts.join("\n")}\n`;
    const full = path.join(root, `pkg${Math.floor(file / 500)}`, `mod${Math.floor(file / 50) % 10}`, `file${file}.${extensions[file % extensions.length]}`);
    await mkdir(path.dirname(full), { recursive: true });
    await writeFile(full, content);
    total += Buffer.byteLength(content);
  }
  await writeFile(marker, String(total));
  return total;
}

/** Whether ripgrep is on PATH: it is the reference row only, so the bench (and CI, which does not install it) runs without it. */
export function hasRipgrep(): boolean {
  return spawnSync("rg", ["--version"]).status === 0;
}

/** The same tree through ripgrep with the rules' patterns (lookarounds dropped: rg's engine has none). */
function ripgrepSeconds(root: string): number | undefined {
  if (!hasRipgrep()) return undefined;
  const patterns = RULES.map((rule) =>
    rule.pattern.source
      .replace(/\(\?<?[=!](?:[^()]|\([^()]*\))*\)/g, "")
      .replace(/\(\?<[A-Za-z]+>/g, "(")
      .replace(/\\k<[A-Za-z0-9]+>/g, "[\"']"),
  ).filter((pattern) => spawnSync("rg", ["-q", "-e", pattern, "--", "-"], { input: "" }).status === 1);
  const file = path.join(WORK, "rg-patterns.txt");
  writeFileSync(file, patterns.join("\n"));
  const started = performance.now();
  const result = spawnSync("rg", ["--count-matches", "--no-messages", "-j", String(availableParallelism()), "--max-filesize", "5M", "-f", file, root], { maxBuffer: 1 << 28 });
  if (result.status !== 0 && result.status !== 1) return undefined;
  return (performance.now() - started) / 1000;
}

/** A repository of 5,000 commits, built with git fast-import in a few seconds. */
async function ensureRepository(repo: string): Promise<void> {
  if (existsSync(path.join(repo, ".git", "bench-done"))) return;
  await rm(repo, { recursive: true, force: true });
  await mkdir(repo, { recursive: true });
  execFileSync("git", ["init", "-q", repo]);
  const g = new Gen(seeded(2));
  const lines = sourceLines(g);
  const secrets = Object.values(TOKEN_SPECS);
  const importer = spawn("git", ["-C", repo, "fast-import", "--quiet"], { stdio: ["pipe", "ignore", "inherit"] });
  const write = (text: string) =>
    new Promise<void>((resolve) => {
      if (importer.stdin.write(text)) resolve();
      else importer.stdin.once("drain", () => resolve());
    });
  for (let commit = 1; commit <= HISTORY_COMMITS; commit += 1) {
    let body = "";
    const files = g.int(1, 3);
    for (let f = 0; f < files; f += 1) {
      const content = Array.from({ length: g.int(20, 120) }, () => lines[Math.floor(g.random() * lines.length)]).join("\n");
      const withSecret = commit % 100 === 0 && f === 0 ? `${content}\nconst upstream = "${(g.pick(secrets) as (typeof secrets)[number]).value(g)}";\n` : `${content}\n`;
      body += `M 100644 inline src/mod${g.int(0, 40)}/file${g.int(0, 400)}.ts\ndata ${Buffer.byteLength(withSecret)}\n${withSecret}\n`;
    }
    const message = `change ${commit}`;
    const when = 1_700_000_000 + commit * 60;
    await write(`commit refs/heads/main\ncommitter Dev <dev@acme.io> ${when} +0000\ndata ${message.length}\n${message}\n${body}\n`);
  }
  importer.stdin.end();
  await new Promise((resolve) => importer.on("close", resolve));
  await writeFile(path.join(repo, ".git", "bench-done"), "");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await benchScan();
  const cores = availableParallelism();
  console.log(`scan: ${result.mbPerSecond} MB/s (median of ${RUNS}, ${result.mbPerSecondRange.join("-")}) on ${((details.bytes ?? 0) / 1e6).toFixed(0)} MB, ${details.files} files, ${details.findings} findings, ${cores} cores, load ${result.load} (${details.seconds?.toFixed(1)} s, ${result.cpuSeconds} CPU s, ${result.mbPerCpuSecond} MB per CPU s)`);
  if (result.rgMbPerSecond !== undefined) console.log(`rg:   ${result.rgMbPerSecond} MB/s on the same tree with the rules' patterns (${details.rgSeconds?.toFixed(1)} s); ripgrep is ${(result.rgMbPerSecond / result.mbPerSecond).toFixed(2)}x vaultlift's rate`);
  else console.log("rg:   ripgrep is not installed, so there is no reference row (Debian: apt-get install ripgrep)");
  console.log(`history: ${result.historyCommitsPerSecond} commits/s over ${details.commits} commits, ${details.historyFindings} findings (${details.historySeconds?.toFixed(1)} s)`);
  if (result.nodeModulesMbPerSecond !== undefined) console.log(`node_modules: ${result.nodeModulesMbPerSecond} MB/s on ${result.nodeModulesMb} MB, ${details.nodeModulesFindings} findings (${result.nodeModulesCpuSeconds} CPU s)`);
}
