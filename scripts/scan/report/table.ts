/** The default output: one line per finding, values redacted, then a summary. */
import type { ScanReport } from "../types.ts";

export function formatTable(report: ScanReport): string {
  const rows = report.findings.map((finding) => [
    finding.ruleId,
    `${finding.file}:${finding.line}:${finding.column}`,
    finding.key ?? "",
    finding.redacted,
    finding.commit ? `${finding.commit.slice(0, 10)} ${finding.date?.slice(0, 10) ?? ""}` : "",
  ]);
  const header = ["RULE", "LOCATION", "KEY", "VALUE", "COMMIT"];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join("  ").trimEnd();
  const { files, bytes, durationMs, skipped, commits } = report.stats;
  const history = commits !== undefined ? `, ${commits} commits` : "";
  const summary = `${report.findings.length} finding${report.findings.length === 1 ? "" : "s"} in ${files} files (${(bytes / 1e6).toFixed(1)} MB${history}, ${skipped} skipped) in ${durationMs} ms`;
  if (rows.length === 0) return `${summary}\n`;
  return `${[line(header), ...rows.map(line)].join("\n")}\n\n${summary}\n`;
}
