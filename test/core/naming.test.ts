import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  conventionTags,
  DEFAULT_TEMPLATE,
  normaliseLeaf,
  normaliseSegment,
  parseName,
  parseTemplate,
  renderName,
  validateName,
  validateSecretsManagerName,
  validateSsmName,
} from "../../core/naming.ts";

const template = parseTemplate(DEFAULT_TEMPLATE);
const RUNS = { numRuns: 5000 };

/** Free text as users type it: spaces, case, punctuation, unicode. */
const freeText = fc.string({ minLength: 1, maxLength: 40, unit: fc.constantFrom(..."aZ09 _-./@+=!é$Ab") });
const usableSegment = freeText.map(normaliseSegment).filter((s) => s.length > 0);
const usableLeaf = freeText.map(normaliseLeaf).filter((s) => s.length > 0);
const parts = fc.record({ org: usableSegment, team: usableSegment, env: usableSegment, app: usableSegment, name: usableLeaf });

describe("naming convention", () => {
  it("renders the documented example", () => {
    expect(renderName(template, { org: "acme", team: "payments", env: "prod", app: "api", name: normaliseSegment("DB Password") })).toBe(
      "/acme/payments/prod/api/db-password",
    );
  });

  it("normalises free text into a segment", () => {
    expect(normaliseSegment("DB Password")).toBe("db-password");
    expect(normaliseSegment("dbPassword")).toBe("db-password");
    expect(normaliseSegment("DB_PASS")).toBe("db-pass");
    expect(normaliseSegment("  --Stripe  Key!! ")).toBe("stripe-key");
    expect(normaliseSegment("!!!")).toBe("");
  });

  it("moves a leaf away from the Secrets Manager -XXXXXX suffix pitfall", () => {
    expect(normaliseLeaf("api secret")).toBe("api_secret");
    expect(validateSecretsManagerName("/a/api-secret")).toHaveLength(1);
    expect(normaliseLeaf("db password")).toBe("db-password");
  });

  it("round-trips render and parse for any normalised parts", () => {
    fc.assert(
      fc.property(parts, (p) => {
        const name = renderName(template, p);
        expect(parseName(template, name)).toEqual(p);
      }),
      RUNS,
    );
  });

  it("renders only names valid in both stores and against the template", () => {
    fc.assert(
      fc.property(parts, (p) => {
        const name = renderName(template, p);
        expect(validateName(template, name, "secretsmanager")).toEqual([]);
        expect(validateName(template, name, "ssm")).toEqual([]);
      }),
      RUNS,
    );
  });

  it("refuses parts that are not segments instead of rendering a bad name", () => {
    fc.assert(
      fc.property(parts, fc.constantFrom("a/b", "x y", "", "é"), (p, bad) => {
        expect(() => renderName(template, { ...p, team: bad })).toThrow(/\{team\}/);
      }),
      { numRuns: 500 },
    );
  });

  it("parses only names that follow the template", () => {
    expect(parseName(template, "/acme/payments/prod/api/db-password")).toEqual({
      org: "acme",
      team: "payments",
      env: "prod",
      app: "api",
      name: "db-password",
    });
    expect(parseName(template, "acme/payments/prod/api/db")).toBeUndefined();
    expect(parseName(template, "/acme/payments/prod/db")).toBeUndefined();
    expect(parseName(parseTemplate("/{org}/secrets/{name}"), "/acme/other/db")).toBeUndefined();
  });

  it("rejects bad templates with the reason", () => {
    expect(() => parseTemplate("/{org}/{team}")).toThrow(/must contain \{name\}/);
    expect(() => parseTemplate("/{org}/{bogus}/{name}")).toThrow(/unknown placeholder \{bogus\}/);
    expect(() => parseTemplate("/{org}-{team}/{name}")).toThrow(/whole path segment/);
    expect(() => parseTemplate("/{name}/{name}")).toThrow(/twice/);
  });
});

describe("store name rules", () => {
  it("Secrets Manager: length and charset", () => {
    expect(validateSecretsManagerName("prod/db+user=x@y.z_1")).toEqual([]);
    expect(validateSecretsManagerName("")).toHaveLength(1);
    expect(validateSecretsManagerName("a".repeat(513))[0]).toMatch(/1 to 512/);
    expect(validateSecretsManagerName("db password")[0]).toMatch(/found " "/);
  });

  it("SSM: charset, levels, length, reserved prefixes", () => {
    expect(validateSsmName("/acme/db.password_1-x")).toEqual([]);
    expect(validateSsmName("/acme/db+pass")[0]).toMatch(/found "\+"/);
    expect(validateSsmName(`/${Array.from({ length: 16 }, () => "a").join("/")}`)[0]).toMatch(/at most 15 levels/);
    expect(validateSsmName(`/${Array.from({ length: 15 }, () => "a").join("/")}`)).toEqual([]);
    expect(validateSsmName(`/${"a".repeat(1011)}`)[0]).toMatch(/1 to 1011/);
    expect(validateSsmName("/AWS/x")[0]).toMatch(/aws/);
    expect(validateSsmName("ssmthing")[0]).toMatch(/ssm/);
    expect(validateSsmName("acme/db")[0]).toMatch(/must start with "\/"/);
    expect(validateSsmName("/acme//db")[0]).toMatch(/empty path segment/);
  });

  it("a flat SSM name is valid exactly when every character is allowed and no reserved prefix", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 30 }).filter((text) => !text.includes("/")), (text) => {
        const valid = /^[A-Za-z0-9_.-]+$/.test(text) && !/^(aws|ssm)/i.test(text);
        expect(validateSsmName(text).length === 0).toBe(valid);
      }),
      RUNS,
    );
  });
});

describe("conventionTags", () => {
  it("reads team, env and app from a name by the template, also from a name deeper than it, and nothing from a name outside it", () => {
    const template = parseTemplate(DEFAULT_TEMPLATE);
    expect(conventionTags(template, "/acme/payments/prod/api/db-password")).toEqual({ team: "payments", env: "prod", app: "api" });
    expect(conventionTags(template, "/acme/payments/prod/api/db/password")).toEqual({ team: "payments", env: "prod", app: "api" });
    expect(conventionTags(template, "/acme/payments/token")).toEqual({ team: "payments" });
    expect(conventionTags(template, "acme/payments/prod/api/x")).toEqual({});
    expect(conventionTags(parseTemplate("/secrets/{team}/{name}"), "/other/payments/x")).toEqual({});
    expect(conventionTags(parseTemplate("/secrets/{team}/{name}"), "/secrets/search/x")).toEqual({ team: "search" });
  });
});
