import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig, parseConfig } from "../../core/config.ts";
import { VaultliftError } from "../../core/errors.ts";
import { REPO_ROOT } from "../helpers/run-cli.ts";

const EXAMPLE = path.join(REPO_ROOT, "vaultlift.yaml");
const exampleText = readFileSync(EXAMPLE, "utf8");

function problemsOf(text: string): string[] {
  try {
    parseConfig(text, "vaultlift.yaml");
  } catch (error) {
    expect(error).toBeInstanceOf(VaultliftError);
    const known = error as VaultliftError;
    expect(known.exitCode).toBe(2);
    return [known.message.replace(/ \(and \d+ more\)$/, ""), ...known.details];
  }
  throw new Error("config was accepted");
}

const minimal = `org: acme
region: eu-west-1
kms:
  alias: alias/acme
state:
  bucket: acme-state
teams:
  - name: payments
`;

describe("config loader", () => {
  it("loads the example config with defaults and rendered names", () => {
    const config = loadConfig(EXAMPLE);
    expect(config.org).toBe("acme");
    expect(config.state.lock).toBe("s3");
    expect(config.teams[0]?.groups).toEqual(["readers", "writers", "admins", "auditors"]);
    const byName = Object.fromEntries(config.secrets.map((s) => [s.fullName, s]));
    expect(byName["/acme/payments/prod/api/db-password"]?.store).toBe("secretsmanager");
    expect(byName["/acme/search/dev/indexer/feature-flags"]?.store).toBe("ssm");
    expect(byName["/acme/payments/prod/api/api-credentials"]?.random?.jsonKey).toBe("password");
  });

  it("fills random defaults for a random secret without settings", () => {
    const config = parseConfig(`${minimal}secrets:\n  - { name: token, team: payments, env: dev, app: api, kind: random }\n`, "x.yaml");
    expect(config.secrets[0]?.random).toMatchObject({ length: 32, special: true, version: 1 });
  });

  it("reports a YAML syntax error with file and line", () => {
    const [first] = problemsOf(`${minimal}secrets: [\n  - oops: {\n`);
    expect(first).toMatch(/^vaultlift\.yaml:\d+ /);
  });

  it("reports every schema problem with its line and YAML path", () => {
    const text = `${minimal}  - name: search\n    bogus: true\nsecrets:\n  - name: Bad Name\n    team: payments\n    env: dev\n    app: api\n    kind: random\n  - name: ok\n    team: payments\n    env: dev\n    app: api\n    kind: magic\n`;
    const problems = problemsOf(text);
    expect(problems).toContain('vaultlift.yaml:10 teams[1].bogus: unknown key "bogus"');
    expect(problems).toContainEqual(expect.stringMatching(/^vaultlift\.yaml:12 secrets\[0\]\.name: may only hold/));
    expect(problems).toContainEqual(expect.stringMatching(/^vaultlift\.yaml:21 secrets\[1\]\.kind: /));
  });

  it("points a missing key at its parent", () => {
    const problems = problemsOf(minimal.replace("  bucket: acme-state\n", "  lock: s3\n"));
    expect(problems[0]).toMatch(/^vaultlift\.yaml:5 state\.bucket: required key is missing$/);
  });

  it("checks cross references: teams, environments, stores, duplicates", () => {
    const text = `${minimal}environments: [dev]\nsecrets:\n  - { name: a, team: nobody, env: dev, app: api, kind: third-party }\n  - { name: b, team: payments, env: prod, app: api, kind: third-party }\n  - { name: c, team: payments, env: dev, app: api, kind: parameter, store: secretsmanager }\n  - { name: d, team: payments, env: dev, app: api, kind: third-party }\n  - { name: d, team: payments, env: dev, app: api, kind: random }\n`;
    const problems = problemsOf(text);
    expect(problems).toContainEqual(expect.stringMatching(/secrets\[0\]\.team: unknown team "nobody"/));
    expect(problems).toContainEqual(expect.stringMatching(/secrets\[1\]\.env: unknown env "prod"/));
    expect(problems).toContainEqual(expect.stringMatching(/secrets\[2\]\.store: a parameter lives in ssm/));
    expect(problems).toContainEqual(expect.stringMatching(/secrets\[4\]\.name: ".*\/d" is also declared by secrets\[3\]/));
  });

  it("refuses a name that breaks its store's rules", () => {
    const problems = problemsOf(`${minimal}secrets:\n  - { name: api-secret, team: payments, env: dev, app: api, kind: third-party }\n`);
    expect(problems[0]).toMatch(/secrets\[0\]\.name: .*hyphen and six characters/);
    // The same leaf is fine for an SSM parameter, where the ARN suffix rule does not apply.
    expect(() => parseConfig(`${minimal}secrets:\n  - { name: api-secret, team: payments, env: dev, app: api, kind: parameter }\n`, "x.yaml")).not.toThrow();
  });

  it("refuses a template without {name} and a dynamodb lock without a table", () => {
    const problems = problemsOf(`${minimal}naming:\n  template: "/{org}/{team}"\n`.replace("  bucket: acme-state\n", "  bucket: acme-state\n  lock: dynamodb\n"));
    expect(problems).toContainEqual(expect.stringMatching(/naming\.template: .*must contain \{name\}/));
    expect(problems).toContainEqual(expect.stringMatching(/state\.lock: lock: dynamodb needs state\.dynamodbTable/));
  });

  it("says which file could not be read", () => {
    expect(() => loadConfig("/nonexistent/vaultlift.yaml")).toThrow(/^\/nonexistent\/vaultlift\.yaml: cannot read config: no such file$/);
  });

  it("the example config in the repository is the one documented", () => {
    expect(exampleText).toMatch(/template: "\/\{org\}\/\{team\}\/\{env\}\/\{app\}\/\{name\}"/);
  });
});
