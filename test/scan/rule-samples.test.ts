/** Every rule's own samples (kept beside the rule, as gitleaks keeps tps/fps): the true ones fire that rule, the false ones do not. */
import { describe, expect, it } from "vitest";
import { Detector, RULES } from "../../scripts/scan/index.ts";
import type { Sample } from "../../scripts/scan/rules.ts";

const detector = new Detector();

function scan(sample: Sample) {
  const { text, path } = typeof sample === "string" ? { text: sample, path: "config.txt" } : sample;
  return detector.detect({ path, content: Buffer.from(text), source: "file" });
}

describe("rule samples", () => {
  it("there are at least 200 rules, each with true and false samples and a keyword or a path", () => {
    expect(RULES.length).toBeGreaterThanOrEqual(200);
    expect(new Set(RULES.map((rule) => rule.id)).size).toBe(RULES.length);
    expect(RULES.filter((rule) => rule.samples.tps.length === 0 || rule.samples.fps.length === 0).map((rule) => rule.id)).toEqual([]);
    expect(RULES.filter((rule) => rule.keywords.length === 0 && !rule.path).map((rule) => rule.id)).toEqual([]);
  });

  it.each(RULES.map((rule) => [rule.id, rule] as const))("%s finds its true samples and none of its false ones", (_id, rule) => {
    const missed = rule.samples.tps.filter((sample) => !scan(sample).some((finding) => finding.ruleId === rule.id));
    expect(missed).toEqual([]);
    const fired = rule.samples.fps.filter((sample) => scan(sample).some((finding) => finding.ruleId === rule.id));
    expect(fired).toEqual([]);
  });
});
