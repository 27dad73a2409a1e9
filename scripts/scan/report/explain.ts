/** `scan --explain FILE:LINE`: which rule looked at the line and what it decided; values redacted. */
import type { Explanation } from "../detect/detector.ts";

export function formatExplanation(file: string, line: number, explanations: readonly Explanation[]): string {
  if (explanations.length === 0) return `${file}:${line}: no rule's keyword is on this line\n`;
  const rows = explanations.map((e) => `${file}:${e.line}:${e.column}  ${e.ruleId}  ${e.redacted ?? ""}  ${e.verdict}`.replace(/ {3,}/g, "  "));
  return `${rows.join("\n")}\n`;
}
