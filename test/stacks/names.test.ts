import { describe, expect, it } from "vitest";
import { parseTemplate } from "../../core/naming.ts";
import { namePrefix, prefixArns, teamPrefix } from "../../stacks/names.ts";
import { exampleConfig, synthesize } from "./synth.ts";

describe("name prefixes for access scoping", () => {
  it("renders the template up to the last known part", () => {
    expect(namePrefix(parseTemplate("/{org}/{team}/{env}/{app}/{name}"), { org: "acme", team: "payments" })).toBe("/acme/payments/");
    expect(namePrefix(parseTemplate("/{org}/{team}/{env}/{app}/{name}"), { org: "acme" })).toBe("/acme/");
    expect(namePrefix(parseTemplate("secrets/{env}/{team}/{name}"), { org: "acme", team: "search" })).toBe("secrets/*/search/");
    expect(namePrefix(parseTemplate("/{env}/{name}"), { org: "acme" })).toBeUndefined();
  });

  it("turns a prefix into ARN patterns of both stores", () => {
    const config = exampleConfig();
    expect(prefixArns(config, "/acme/payments/")).toEqual({
      secrets: "arn:aws:secretsmanager:*:123456789012:secret:/acme/payments/*",
      parameters: "arn:aws:ssm:*:123456789012:parameter/acme/payments/*",
      parameterPath: "arn:aws:ssm:*:123456789012:parameter/acme/payments",
    });
    expect(prefixArns(config, "acme/payments/").parameters).toBe("arn:aws:ssm:*:123456789012:parameter/acme/payments/*");
  });

  it("refuses to scope teams when the template has no {team}", () => {
    const config = exampleConfig({ "naming.template": "/{org}/{env}/{app}/{name}" });
    expect(() => teamPrefix(config, "payments")).toThrow(/naming\.template "\/\{org\}\/\{env\}\/\{app\}\/\{name\}" has no \{team\}/);
    expect(() => synthesize(config)).toThrow(/has no \{team\}/);
  });
});
