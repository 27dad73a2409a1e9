/** `--format sarif`: SARIF 2.1.0 as GitHub code scanning reads it. */
import { RULES, type Rule } from "../rules.ts";
import type { Finding, ScanReport } from "../types.ts";

const SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
const TOOL_VERSION = "0.1.0";

export function formatSarif(report: ScanReport, rules: readonly Rule[] = RULES): string {
  const used = [...new Set(report.findings.map((finding) => finding.ruleId))].sort();
  const index = new Map(used.map((id, position) => [id, position]));
  const byId = new Map(rules.map((rule) => [rule.id, rule]));
  const log = {
    $schema: SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "vaultlift",
            version: TOOL_VERSION,
            rules: used.map((id) => {
              const description = byId.get(id)?.description ?? id;
              return {
                id,
                name: toPascal(id),
                shortDescription: { text: description },
                fullDescription: { text: `${description} in plaintext. Move it to Secrets Manager or SSM Parameter Store (vaultlift migrate) and rotate it.` },
                help: { text: `A plaintext ${description.toLowerCase()} was found. Rotate it, store it with vaultlift migrate, and read it at run time.` },
                defaultConfiguration: { level: "error" },
                properties: { tags: ["security", "secret"], precision: byId.get(id)?.generic ? "medium" : "high", "security-severity": "8.0" },
              };
            }),
          },
        },
        columnKind: "utf16CodeUnits",
        originalUriBaseIds: { SRCROOT: { description: { text: "The scanned root" } } },
        results: report.findings.map((finding) => result(finding, index.get(finding.ruleId) ?? 0, byId.get(finding.ruleId))),
        ...(report.fingerprintKey !== undefined && { properties: { fingerprintKey: report.fingerprintKey } }),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function result(finding: Finding, ruleIndex: number, rule: Rule | undefined) {
  const remote = /^[a-z][a-z0-9+.-]*:\/\//.test(finding.file);
  const where = finding.commit ? ` (commit ${finding.commit.slice(0, 12)})` : "";
  return {
    ruleId: finding.ruleId,
    ruleIndex,
    // Test, fixture, example and documentation paths mostly hold samples: shown, but not as errors.
    level: finding.context === undefined ? "error" : "note",
    message: { text: `${rule?.description ?? finding.ruleId}${finding.key ? ` in ${finding.key}` : ""}: ${finding.redacted}${where}` },
    locations: [
      {
        physicalLocation: {
          artifactLocation: remote ? { uri: encodeURI(finding.file) } : { uri: encodeURI(finding.file), uriBaseId: "SRCROOT" },
          region: { startLine: finding.line, startColumn: finding.column },
        },
      },
    ],
    partialFingerprints: { "vaultlift/v2": finding.fingerprint },
    properties: {
      redacted: finding.redacted,
      ...(finding.key !== undefined && { key: finding.key }),
      ...(finding.commit !== undefined && { commit: finding.commit }),
      ...(finding.date !== undefined && { date: finding.date }),
      ...(finding.source !== undefined && { source: finding.source }),
      ...(finding.versionId !== undefined && { versionId: finding.versionId }),
      ...(finding.context !== undefined && { context: finding.context }),
      ...(finding.decoded !== undefined && { decoded: finding.decoded }),
    },
  };
}

function toPascal(id: string): string {
  return id.replace(/(^|-)([a-z0-9])/g, (_, _dash: string, char: string) => char.toUpperCase());
}
