/**
 * Allowlisting from a migration: accepted fingerprints are appended to a baseline file
 * in the scanner's format (a `scan --format json` report), so `scan --baseline` and
 * later migrations both leave them out.
 */
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { inputError } from "../../core/errors.ts";
import { defaultFingerprinter } from "../../core/fingerprint.ts";
import type { JsonFinding } from "../scan/report/json.ts";
import type { Candidate } from "./candidate.ts";

/** Appends the candidates' fingerprints (no values) to `file`, creating it if needed; returns how many were new. */
export function appendToBaseline(file: string, candidates: readonly Candidate[]): number {
  let report: { findings: JsonFinding[]; [key: string]: unknown } = { findings: [] };
  let text: string | undefined;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw inputError(`${file}: cannot read baseline: ${(error as Error).message}`);
  }
  if (text !== undefined) {
    try {
      report = JSON.parse(text) as typeof report;
    } catch (error) {
      throw inputError(`${file}: baseline is not JSON: ${(error as Error).message}`);
    }
    if (!Array.isArray(report.findings)) throw inputError(`${file}: baseline has no "findings" array`);
  }
  const known = new Set(report.findings.map((finding) => finding.fingerprint));
  let added = 0;
  for (const candidate of candidates) {
    if (known.has(candidate.fingerprint)) continue;
    known.add(candidate.fingerprint);
    report.findings.push({ ruleId: candidate.ruleId, file: candidate.file, line: candidate.line, column: 1, redacted: candidate.redacted, fingerprint: candidate.fingerprint });
    added += 1;
  }
  report.fingerprintKey = defaultFingerprinter().keyId;
  // Written aside and renamed, so an interrupted write never leaves half a baseline.
  writeFileSync(`${file}.tmp`, `${JSON.stringify(report, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
  return added;
}
