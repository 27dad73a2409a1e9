/**
 * How sure a finding is: `high` for a credential recognised by its own format, `medium`
 * for a generic rule (a name and a random-looking value), `low` for anything in a test,
 * fixture, example or documentation path. `--min-confidence` hides what sits below.
 */
import { RULES, type Rule } from "../rules.ts";
import type { Finding } from "../types.ts";

export const CONFIDENCES = ["low", "medium", "high"] as const;
export type Confidence = (typeof CONFIDENCES)[number];

const byId = new Map(RULES.map((rule) => [rule.id, rule]));

export function confidenceOf(finding: Finding, rule: Rule | undefined = byId.get(finding.ruleId)): Confidence {
  if (finding.context !== undefined) return "low";
  return rule?.generic ? "medium" : "high";
}

export function atLeast(findings: readonly Finding[], minimum: Confidence): Finding[] {
  const floor = CONFIDENCES.indexOf(minimum);
  return findings.filter((finding) => CONFIDENCES.indexOf(confidenceOf(finding)) >= floor);
}
