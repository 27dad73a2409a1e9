/** Baselines: a previous JSON report whose findings are accepted; only new ones are reported. */
import { readFile } from "node:fs/promises";
import { inputError } from "../../core/errors.ts";
import type { Finding } from "./types.ts";

/** The fingerprints of a previous `scan --format json` report. */
export async function readBaseline(file: string): Promise<Set<string>> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw inputError(`${file}: cannot read baseline: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw inputError(`${file}: baseline is not JSON: ${(error as Error).message}`);
  }
  const findings = (parsed as { findings?: unknown })?.findings;
  if (!Array.isArray(findings)) throw inputError(`${file}: baseline must be a report from \`vaultlift scan --format json\` (no "findings" array)`);
  const fingerprints = new Set<string>();
  findings.forEach((finding: unknown, index) => {
    const fingerprint = (finding as { fingerprint?: unknown })?.fingerprint;
    if (typeof fingerprint !== "string") throw inputError(`${file}: findings[${index}] has no fingerprint`);
    fingerprints.add(fingerprint);
  });
  return fingerprints;
}

export function applyBaseline(findings: readonly Finding[], accepted: ReadonlySet<string>): Finding[] {
  return findings.filter((finding) => !accepted.has(finding.fingerprint));
}
