/** The entropy thresholds of the generic rules, checked against generated random keys and human-made names. */
import { describe, expect, it } from "vitest";
import { ENTROPY, entropy, entropyThreshold, looksRandom } from "../../scripts/scan/rules.ts";
import { CHARSETS, Gen, seeded } from "./corpus.ts";

const g = new Gen(seeded(42));
const SAMPLES = 2000;

describe("entropy thresholds", () => {
  it.each([16, 20, 24, 32, 40, 64])("pass at least 99%% of random base64 and alphanumeric keys of %i characters", (length) => {
    for (const charset of [CHARSETS.base64, CHARSETS.alnum, CHARSETS.urlsafe]) {
      const passed = Array.from({ length: SAMPLES }, () => g.mixed(charset, length)).filter(looksRandom).length;
      expect(passed / SAMPLES).toBeGreaterThanOrEqual(0.99);
    }
  });

  it.each([32, 40, 64])("pass at least 99%% of random hex keys of %i characters", (length) => {
    const passed = Array.from({ length: SAMPLES }, () => g.hex(length)).filter(looksRandom).length;
    expect(passed / SAMPLES).toBeGreaterThanOrEqual(0.99);
  });

  it("sit as high as that allows: a bar 0.25 bits higher would lose more than 1% of short keys", () => {
    const short = Array.from({ length: SAMPLES }, () => g.mixed(CHARSETS.base64, ENTROPY.mixed.minLength));
    const stricter = short.filter((value) => entropy(value) >= entropyThreshold("mixed", value.length) + 0.25).length;
    expect(stricter / SAMPLES).toBeLessThan(0.99);
  });

  it("reject human-made names, words and versions", () => {
    const human = ["bert-base-uncased-v2", "prod/db/password", "my-service-token-01", "aaaaaaaaaaaaaaaaaaaa1", "test_api_key_1234567", "ABCDEFGHIJKLMNOP1234", "1234567890123456789012345678901234"];
    expect(human.filter(looksRandom)).toEqual([]);
  });
});

describe("looksRandom on names found in real code", () => {
  it("rejects protocol constants and documentation stand-ins", () => {
    expect(["X-Amz-S3session-Token", "VERYSECRETVALUE123", "MyClientSecret2024", "DefaultValue12345678"].filter(looksRandom)).toEqual([]);
  });
});
