/** `--format json`: the report shape of MISSION.md, built field by field so no value can leak in. */
import type { Finding, ScanReport } from "../types.ts";

/** A finding as reports write it: every field but the value. */
export type JsonFinding = Omit<Finding, "secret">;

export function jsonFinding(finding: Finding): JsonFinding {
  return {
    ruleId: finding.ruleId,
    file: finding.file,
    line: finding.line,
    column: finding.column,
    redacted: finding.redacted,
    fingerprint: finding.fingerprint,
    ...(finding.commit !== undefined && { commit: finding.commit }),
    ...(finding.date !== undefined && { date: finding.date }),
    ...(finding.source !== undefined && { source: finding.source }),
    ...(finding.versionId !== undefined && { versionId: finding.versionId }),
    ...(finding.key !== undefined && { key: finding.key }),
    ...(finding.context !== undefined && { context: finding.context }),
    ...(finding.decoded !== undefined && { decoded: finding.decoded }),
  };
}

export function formatJson(report: ScanReport): string {
  const { files, bytes, durationMs, skipped, commits } = report.stats;
  const stats = { files, bytes, durationMs, skipped, ...(commits !== undefined && { commits }) };
  const key = report.fingerprintKey !== undefined ? { fingerprintKey: report.fingerprintKey } : {};
  return `${JSON.stringify({ findings: report.findings.map(jsonFinding), stats, ...key }, null, 2)}\n`;
}
