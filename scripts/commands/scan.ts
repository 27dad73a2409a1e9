/** `vaultlift scan`: find plaintext secrets in directories, git history and S3 vault buckets. */
import { writeFile } from "node:fs/promises";
import { Option, type Command } from "commander";
import { ExitCode, inputError } from "../../core/errors.ts";
import { action, type CommandContext } from "../context.ts";
import { startStatus } from "../output.ts";
import {
  applyBaseline,
  atLeast,
  CONFIDENCES,
  DEFAULT_MAX_FILE_BYTES,
  explainLine,
  formatExplanation,
  formatReport,
  readBaseline,
  scanSources,
  sourcesFor,
  type Confidence,
  type ReportFormat,
  type ScanProgress,
} from "../scan/index.ts";

interface ScanFlags {
  history?: boolean;
  staged?: boolean;
  since?: string;
  versions?: boolean;
  format: ReportFormat;
  output?: string;
  baseline?: string;
  maxFileBytes?: string;
  workers?: string;
  minConfidence: Confidence;
  explain?: string;
}

export function register(command: Command): void {
  command
    .argument("[sources...]", "directories, files or s3://BUCKET/PREFIX (default: .)")
    .option("--history", "also scan every commit reachable from all refs")
    .option("--staged", "only the changes staged in the git index (for a pre-commit hook)")
    .option("--since <ref>", "only the commits after REF that HEAD reaches (for CI on a pull request)")
    .option("--versions", "with s3:// sources, scan every object version")
    .addOption(new Option("--format <format>", "output format").choices(["table", "json", "sarif"]).default("table"))
    .option("--output <file>", "write the report to FILE instead of stdout")
    .option("--baseline <file>", "a previous JSON report: only report new findings")
    .option("--max-file-bytes <n>", "skip files larger than N bytes (default: config scan.maxFileBytes, 5 MiB)")
    .option("--workers <n>", "detector threads (default: one per CPU; 0 = none)")
    .addOption(
      new Option("--min-confidence <level>", "hide findings below: high = known formats, medium = generic rules, low = also test/fixture/example/docs paths")
        .choices([...CONFIDENCES])
        .default("low"),
    )
    .option("--explain <file:line>", "say which rule matched each candidate on that line, or which filter dropped it")
    .addHelpText("after", "\nExit status: 0 no findings, 1 findings, 2 error. Values are always redacted.")
    .action(action(async (context, sources: string[], flags: ScanFlags) => scan(context, sources, flags)));
}

async function scan(context: CommandContext, args: string[], flags: ScanFlags): Promise<number> {
  if (flags.explain !== undefined) return explain(flags.explain);
  const maxFileBytes = positiveInteger(flags.maxFileBytes, "--max-file-bytes") ?? context.config?.scan.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const workers = positiveInteger(flags.workers, "--workers", true);
  const accepted = flags.baseline ? await readBaseline(flags.baseline) : undefined;
  const onSkip = (file: string, reason: string) => {
    if (reason === "special") process.stderr.write(`skipped ${JSON.stringify(file)}: not a regular file (FIFO, socket or device)\n`);
    if (reason === "name") process.stderr.write(`skipped ${JSON.stringify(file)}: a directory whose name is not UTF-8 (rename it to scan it)\n`);
  };
  const sources = sourcesFor(args, { history: flags.history, staged: flags.staged, since: flags.since, versions: flags.versions, maxFileBytes, s3: () => context.aws().s3(), onSkip });
  const progress = startStatus(context.progress, "scanning {label} | {files} files | {mb} MB | {findings} findings", flags.format);
  const onProgress = progress && ((step: ScanProgress) => progress.update({ label: step.label, files: step.files, mb: (step.bytes / 1e6).toFixed(1), findings: step.findings }));
  let report;
  try {
    report = await scanSources(sources, { allowPaths: context.config?.scan.allowPaths, workers, ...(onProgress && { onProgress }) });
  } finally {
    progress?.stop();
  }
  if (accepted) report = { ...report, findings: applyBaseline(report.findings, accepted) };
  const shown = atLeast(report.findings, flags.minConfidence);
  const hidden = report.findings.length - shown.length;
  report = { ...report, findings: shown };
  const text = formatReport(report, flags.format);
  if (flags.output) {
    await writeFile(flags.output, text).catch((error: Error) => {
      throw inputError(`${flags.output}: cannot write report: ${error.message}`);
    });
    process.stderr.write(`${report.findings.length} findings written to ${flags.output}\n`);
  } else {
    process.stdout.write(text);
  }
  if (hidden > 0) process.stderr.write(`${hidden} finding${hidden === 1 ? "" : "s"} below --min-confidence ${flags.minConfidence} not shown\n`);
  return report.findings.length > 0 ? ExitCode.findings : ExitCode.ok;
}

async function explain(location: string): Promise<number> {
  const match = /^(.+):(\d+)$/.exec(location);
  if (!match) throw inputError(`--explain takes FILE:LINE, got "${location}"`);
  const [, file, line] = match as unknown as [string, string, string];
  process.stdout.write(formatExplanation(file, Number(line), await explainLine(file, Number(line))));
  return ExitCode.ok;
}

function positiveInteger(text: string | undefined, flag: string, zero = false): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < (zero ? 0 : 1)) throw inputError(`${flag} must be ${zero ? "a whole number" : "a positive whole number"}, got "${text}"`);
  return value;
}
