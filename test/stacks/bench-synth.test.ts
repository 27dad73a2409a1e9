import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { benchConfigText, benchSynth } from "../../bench/synth.ts";
import { parseConfig } from "../../core/config.ts";

describe("synth benchmark", () => {
  it("generates a valid config with every kind of secret", () => {
    const config = parseConfig(benchConfigText(30), "bench.yaml");
    expect(config.secrets).toHaveLength(30);
    expect(new Set(config.secrets.map((secret) => secret.kind))).toEqual(new Set(["random", "third-party", "parameter"]));
    expect((parse(benchConfigText(3)) as { secrets: unknown[] }).secrets).toHaveLength(3);
  });

  it("synthesizes all stacks and reports the figure", async () => {
    const result = await benchSynth(30);
    expect(result.secrets).toBe(30);
    expect(result.seconds).toBeGreaterThan(0);
  });
});
