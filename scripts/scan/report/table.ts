/** The default output: one line per finding, values redacted, then a summary. */
import type { ScanReport } from "../types.ts";

/** Findings in test, fixture, example and documentation paths come last, in a group of their own. */
export function formatTable(report: ScanReport): string {
  const main = report.findings.filter((finding) => finding.context === undefined);
  const samples = report.findings.filter((finding) => finding.context !== undefined);
  const rows = [...main, ...samples].map((finding) => [
    finding.ruleId,
    `${finding.file}:${finding.line}:${finding.column}`,
    finding.key ?? "",
    finding.redacted,
    finding.commit ? `${finding.commit.slice(0, 10)} ${finding.date?.slice(0, 10) ?? ""}` : "",
    finding.context ?? "",
  ]);
  const header = ["RULE", "LOCATION", "KEY", "VALUE", "COMMIT", "CONTEXT"];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)));
  const columns = samples.length > 0 ? header.length : header.length - 1;
  const line = (cells: string[]) => cells.slice(0, columns).map((cell, column) => cell.padEnd(widths[column] ?? 0)).join("  ").trimEnd();
  const { files, bytes, durationMs, skipped, commits } = report.stats;
  const history = commits !== undefined ? `, ${commits} commits` : "";
  const summary = `${report.findings.length} finding${report.findings.length === 1 ? "" : "s"} in ${files} files (${(bytes / 1e6).toFixed(1)} MB${history}, ${skipped} skipped) in ${durationMs} ms`;
  if (rows.length === 0) return `${summary}\n`;
  const body = rows.map(line);
  const grouped = samples.length === 0 ? body : [...body.slice(0, main.length), "", `In test, fixture, example and documentation paths (${samples.length}):`, ...body.slice(main.length)];
  return `${[line(header), ...grouped].join("\n")}\n\n${summary}\n`;
}
