/** Baselines: a previous JSON report whose findings are accepted; only new ones are reported. */
import { readFile } from "node:fs/promises";
import { inputError, parseFailureAt } from "../../core/errors.ts";
import { defaultFingerprinter } from "../../core/fingerprint.ts";
import { HASH_KEY_ENV } from "../../core/state.ts";
import type { Finding } from "./types.ts";

/**
 * The fingerprints of a previous `scan --format json` report. Fingerprints are keyed, so a
 * baseline made with another hash key, or by a vaultlift whose fingerprints hashed values,
 * would match nothing: it is refused, saying how to regenerate it.
 */
export async function readBaseline(file: string, keyId?: string): Promise<Set<string>> {
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
    throw inputError(`${file}: baseline is not JSON${parseFailureAt(text, error)}`);
  }
  const findings = (parsed as { findings?: unknown })?.findings;
  if (!Array.isArray(findings)) throw inputError(`${file}: baseline must be a report from \`vaultlift scan --format json\` (no "findings" array)`);
  const made = (parsed as { fingerprintKey?: unknown }).fingerprintKey;
  const regenerate = `regenerate it with \`vaultlift scan --format json --output ${file}\``;
  if (findings.length > 0 && typeof made !== "string") throw inputError(`${file}: baseline from an older vaultlift (fingerprints of values, no "fingerprintKey"): ${regenerate}`);
  if (findings.length > 0) {
    const current = keyId ?? defaultFingerprinter().keyId;
    if (made !== current) throw inputError(`${file}: baseline made with hash key ${String(made)}, this machine has ${current}: set ${HASH_KEY_ENV} to the key it was made with, or ${regenerate}`);
  }
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
