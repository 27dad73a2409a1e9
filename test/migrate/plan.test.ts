import { describe, expect, it } from "vitest";
import { parseConfig } from "../../core/config.ts";
import { VaultliftError } from "../../core/errors.ts";
import { makeCandidate, type Candidate } from "../../scripts/migrate/candidate.ts";
import { createValueHasher } from "../../scripts/migrate/hash.ts";
import { checkMapping, parseMapping } from "../../scripts/migrate/mapping.ts";
import { formatPlanTable, planMigration, planToJson, type PlanOptions } from "../../scripts/migrate/plan.ts";

const CONFIG_LINES = [
  "org: acme",
  "region: eu-west-1",
  "environments: [dev, prod]",
  "kms: { alias: alias/acme-secrets }",
  "state: { bucket: acme-state }",
  "teams: [{ name: payments }, { name: search }]",
  "secrets:",
  "  - { name: feature-flags, team: payments, env: prod, app: api, kind: parameter }",
  "  - { name: db-main, team: payments, env: prod, app: api, kind: random }",
];
const config = parseConfig(CONFIG_LINES.join("\n"), "vaultlift.yaml");
const hasher = createValueHasher(Buffer.alloc(32, 7));
const base: PlanOptions = { config, parts: { team: "payments", env: "prod", app: "api" }, hasher, now: new Date("2026-01-02T03:04:05Z") };

const candidate = (fingerprint: string, value: string, extra: Partial<Candidate> = {}) =>
  makeCandidate({ fingerprint, file: "s3://vault/ssm-payments.py", line: 3, ruleId: "legacy-python", ...extra }, value);

describe("planMigration", () => {
  it("names targets under the template from the original name's leaf and never serialises values", () => {
    const plan = planMigration([candidate("fp1", "S3cr3t-db-pa55", { originalName: "/prod/payments/DB_PASSWORD" })], base);
    expect(plan.targets).toHaveLength(1);
    const [target] = plan.targets;
    expect(target).toMatchObject({
      name: "/acme/payments/prod/api/db-password",
      store: "secretsmanager",
      kmsKeyId: "alias/acme-secrets",
      tags: { "vaultlift:source": "s3://vault/ssm-payments.py", "vaultlift:migrated-at": "2026-01-02T03:04:05.000Z" },
      size: "8-16",
    });
    expect(planToJson(plan)).not.toMatch(/\b14\b/);
    expect(target?.value).toBe("S3cr3t-db-pa55");
    const json = planToJson(plan);
    expect(json).not.toContain("S3cr3t");
    expect(formatPlanTable(plan)).not.toContain("S3cr3t");
    expect(formatPlanTable(plan).split("\n")[1]).toMatch(/^\/acme\/payments\/prod\/api\/db-password\s+secretsmanager\s+\*{8}\(8-16\)\s+s3:\/\/vault\/ssm-payments\.py:3$/);
    expect(json).toContain("hmac-sha256:");
  });

  it("keeps an original name that already follows the convention", () => {
    const plan = planMigration([candidate("fp1", "v1", { originalName: "/acme/search/dev/indexer/algolia-key" })], base);
    expect(plan.targets[0]?.name).toBe("/acme/search/dev/indexer/algolia-key");
  });

  it("merges one value found in several places into one secret with several sources", () => {
    const plan = planMigration(
      [candidate("a", "same-value-123", { key: "DB_PASS", file: ".env" }), candidate("b", "same-value-123", { originalName: "/old/db_password" })],
      base,
    );
    expect(plan.targets).toHaveLength(1);
    // The whole legacy name gives the leaf: `/old/db_password` is `old-db-password`.
    expect(plan.targets[0]?.name).toBe("/acme/payments/prod/api/old-db-password");
    expect(plan.targets[0]?.sources.map((source) => source.fingerprint)).toEqual(["a", "b"]);
  });

  it("plans one value found in 20,000 places as one secret with 20,000 sources", () => {
    const places = Array.from({ length: 20_000 }, (_, index) => makeCandidate({ fingerprint: `fp-${index}`, file: `app-${index}/.env`, line: 1, ruleId: "env", key: "SHARED_TOKEN" }, "one-shared-value-0123456789"));
    const started = Date.now();
    const plan = planMigration(places, base);
    process.stderr.write(`plan, 20,000 places of one value: ${Date.now() - started} ms\n`);
    expect(plan.problems).toEqual([]);
    expect(plan.targets.map((target) => [target.name, target.sources.length])).toEqual([["/acme/payments/prod/api/shared-token", 20_000]]);
  });

  it("reports two values for one name as a problem, not an overwrite", () => {
    const plan = planMigration([candidate("a", "value-one", { key: "token" }), candidate("b", "value-two", { key: "TOKEN", file: "b.env", line: 9 })], base);
    expect(plan.targets).toHaveLength(1);
    expect(plan.problems).toHaveLength(1);
    expect(plan.problems[0]?.message).toMatch(/^b\.env:9: name "\/acme\/payments\/prod\/api\/token" .*already the target of a different value from s3:\/\/vault\/ssm-payments\.py:3/);
  });

  it("chooses SSM from --store, a declared parameter, with the tier by size, and refuses values over the limit", () => {
    const plan = planMigration(
      [
        candidate("small", "x".repeat(100), { key: "small" }),
        candidate("large", "y".repeat(5000), { key: "large" }),
        candidate("huge", "z".repeat(9000), { key: "huge" }),
      ],
      { ...base, store: "ssm" },
    );
    expect(plan.targets.map((target) => [target.name, target.store, target.tier])).toEqual([
      ["/acme/payments/prod/api/large", "ssm", "Advanced"],
      ["/acme/payments/prod/api/small", "ssm", "Standard"],
    ]);
    expect(plan.problems[0]?.message).toContain("value of 9000 bytes is over the SSM (Advanced tier) limit of 8192 bytes");
    const declared = planMigration([candidate("flags", "on", { key: "feature_flags" })], base);
    expect(declared.targets[0]).toMatchObject({ name: "/acme/payments/prod/api/feature-flags", store: "ssm" });
    const sm = planMigration([candidate("big", "q".repeat(70_000), { key: "big" })], base);
    expect(sm.problems[0]?.message).toContain("over the Secrets Manager limit of 65536 bytes");
  });

  it("skips superseded object versions and follows decisions", () => {
    const plan = planMigration(
      [candidate("old", "old-value", { key: "k", superseded: true, versionId: "v1" }), candidate("skip", "x1", { key: "x" }), candidate("ren", "r1", { key: "r" })],
      { ...base, decisions: new Map([["skip", { action: "skip" as const }], ["ren", { action: "import" as const, name: "renamed" }]]) },
    );
    expect(plan.skipped.map((skip) => [skip.fingerprint, skip.reason])).toEqual([
      ["old", "superseded by the current object version"],
      ["skip", "skipped"],
    ]);
    expect(plan.targets.map((target) => target.name)).toEqual(["/acme/payments/prod/api/renamed"]);
  });

  it("refuses to overwrite a random secret the bootstrap stack generates", () => {
    const plan = planMigration([candidate("a", "v", { key: "DB_MAIN" })], base);
    expect(plan.targets).toEqual([]);
    expect(plan.problems[0]?.message).toContain('"/acme/payments/prod/api/db-main" is a random secret generated by the bootstrap stack');
  });

  it("asks for --team when the template needs it and the config has no single default", () => {
    expect(() => planMigration([candidate("a", "v", { key: "k" })], { ...base, parts: { env: "prod", app: "api" } })).toThrow(
      /needs \{team\} for s3:\/\/vault\/ssm-payments\.py:3: pass --team \(declared teams: payments, search\)/,
    );
    expect(() => planMigration([], { ...base, parts: { team: "nope" } })).toThrow(VaultliftError);
  });

  it("reports names invalid in the chosen store", () => {
    const plan = planMigration([candidate("a", "v", { key: "k" })], { ...base, decisions: new Map([["a", { action: "import" as const, name: "/acme/payments/prod/api/a+b", store: "ssm" as const }]]) });
    expect(plan.problems[0]?.message).toMatch(/name "\/acme\/payments\/prod\/api\/a\+b" is not valid in ssm/);
  });
});

describe("mapping files", () => {
  const candidates = [candidate("legacy:aaa", "v1", { key: "a" }), candidate("legacy:bbb", "v2", { key: "b" }), candidate("legacy:ccc", "v3", { key: "c" })];

  it("maps fingerprints to names, stores and skips; unmapped candidates are skipped", () => {
    const mapping = parseMapping(
      'version: 1\nmappings:\n  "legacy:aaa": { name: /acme/payments/prod/api/db, store: ssm }\n  "legacy:bbb": skip\n',
      "map.yaml",
      config.template,
    );
    const decisions = checkMapping(mapping, candidates);
    const plan = planMigration(candidates, { ...base, decisions });
    expect(plan.targets.map((target) => [target.name, target.store])).toEqual([["/acme/payments/prod/api/db", "ssm"]]);
    expect(plan.skipped.map((skip) => skip.reason)).toEqual(["skipped in the mapping", "not in the mapping map.yaml"]);
  });

  it("names the file and line of an unknown fingerprint, a bad store and a bad name", () => {
    const mapping = parseMapping('mappings:\n  "legacy:aaa": { name: db }\n  "legacy:zzz": skip\n', "map.yaml", config.template);
    expect(() => checkMapping(mapping, candidates)).toThrow('map.yaml:3 fingerprint "legacy:zzz" matches no finding in the sources');
    expect(() => parseMapping('mappings:\n  x: { name: db, store: s3 }\n', "m.yaml", config.template)).toThrow(/^m\.yaml:2 x: store must be secretsmanager or ssm/);
    expect(() => parseMapping('mappings:\n  x:\n    name: "/ssm/a b"\n', "m.yaml", config.template)).toThrow(/^m\.yaml:3 x: name "\/ssm\/a b" is not valid/);
  });

  it("loads a plan saved with --plan-out as a mapping", () => {
    const plan = planMigration(candidates, { ...base, decisions: new Map([["legacy:ccc", { action: "skip" as const }]]) });
    const mapping = parseMapping(planToJson(plan), "plan.json", config.template);
    const again = planMigration(candidates, { ...base, decisions: checkMapping(mapping, candidates) });
    expect(again.targets.map((target) => target.name)).toEqual(plan.targets.map((target) => target.name));
    expect(again.skipped.map((skip) => skip.fingerprint)).toEqual(["legacy:ccc"]);
  });
});

describe("what gets stored and under which name", () => {
  it("derives the leaf from the whole legacy name or key path, less what the template holds", () => {
    const names = planMigration(
      [
        candidate("n1", "value-n1", { originalName: "/myapp/database/password/1", scope: { app: "myapp", env: "prod" } }),
        candidate("n2", "value-n2", { originalName: "/myapp/datadog/api_key", scope: { app: "myapp" } }),
        candidate("n3", "value-n3", { ruleId: "legacy-json", file: "s3://vault/config.json", key: "sendgrid.apiKey" }),
        candidate("n4", "value-n4", { ruleId: "legacy-yaml", file: "s3://vault/application.yaml", key: "spring.mail.password" }),
        candidate("n5", "value-n5", { ruleId: "legacy-kubernetes", file: "k8s/secret.yaml", key: "api-db.password" }),
      ],
      base,
    ).targets.map((target) => target.name);
    expect(names).toEqual([
      "/acme/payments/prod/api/db-password",
      "/acme/payments/prod/api/mail-password",
      "/acme/payments/prod/api/sendgrid-api-key",
      "/acme/payments/prod/myapp/database-password-1",
      "/acme/payments/prod/myapp/datadog-api-key",
    ]);
  });

  it("takes the environment the script states, so dev and prod scripts do not collide", () => {
    const plan = planMigration(
      [
        candidate("dev", "dev-value", { file: "s3://vault/ssm-dev.py", originalName: "/myapp/jwt/signing", scope: { words: ["ssm", "dev"] } }),
        candidate("prod", "prod-value", { file: "s3://vault/ssm-prod.py", originalName: "/myapp/jwt/signing", scope: { words: ["ssm", "prod"] } }),
      ],
      base,
    );
    expect(plan.problems).toEqual([]);
    expect(plan.targets.map((target) => target.name)).toEqual(["/acme/payments/dev/api/myapp-jwt-signing", "/acme/payments/prod/api/myapp-jwt-signing"]);
  });

  it("keeps a leaf that passes the -XXXXXX suffix rule, and any leaf in SSM, as it is", () => {
    const ssm = planMigration([candidate("j", "jwt-value", { key: "jwt-secret" })], { ...base, store: "ssm" });
    expect(ssm.targets[0]?.name).toBe("/acme/payments/prod/api/jwt-secret");
    const sm = planMigration([candidate("k", "key-value", { key: "jwt-signing-key" })], base);
    expect(sm.targets[0]?.name).toBe("/acme/payments/prod/api/jwt-signing-key");
  });

  it("keeps legacy String parameters and plain settings as SSM String, secrets as secrets", () => {
    const plan = planMigration(
      [
        candidate("color", "blue", { originalName: "/cicd/deployed/color", legacyType: "String" }),
        candidate("list", "a,b", { originalName: "/cicd/regions", legacyType: "StringList" }),
        candidate("workers", "8", { ruleId: "legacy-env", file: "s3://vault/app.env", key: "WORKER_CONCURRENCY" }),
        candidate("secure", "S3cure-Value-1", { originalName: "/myapp/token", legacyType: "SecureString" }),
        candidate("pw", "hunter2-pass", { ruleId: "legacy-env", file: "s3://vault/app.env", key: "DB_PASSWORD" }),
      ],
      base,
    );
    expect(plan.targets.map((target) => [target.name, target.store, target.type])).toEqual([
      ["/acme/payments/prod/api/cicd-deployed-color", "ssm", "String"],
      ["/acme/payments/prod/api/cicd-regions", "ssm", "StringList"],
      ["/acme/payments/prod/api/db-password", "secretsmanager", undefined],
      ["/acme/payments/prod/api/myapp-token", "secretsmanager", undefined],
      ["/acme/payments/prod/api/worker-concurrency", "ssm", "String"],
    ]);
    const skipConfig = parseConfig([...CONFIG_LINES, "migrate: { configValues: skip }"].join("\n"), "vaultlift.yaml");
    const skipped = planMigration([candidate("color", "blue", { originalName: "/cicd/deployed/color", legacyType: "String" })], { ...base, config: skipConfig });
    expect(skipped.targets).toEqual([]);
    expect(skipped.skipped[0]?.reason).toBe("configuration, not a secret (migrate.configValues: skip)");
  });

  it("tags every secret with its legacy name and its source (repository or bucket, path, commit or version)", () => {
    const plan = planMigration(
      [
        candidate("s3", "value-s3", { originalName: "/myapp/database/password/1", versionId: "3Lg.v2" }),
        candidate("git", "value-git", { ruleId: "uri-password", file: ".env", key: "DATABASE_URL", origin: "billing", revision: "a".repeat(40) }),
      ],
      base,
    );
    expect(plan.targets.map((target) => [target.tags["vaultlift:legacy-name"], target.tags["vaultlift:source"]])).toEqual([
      ["DATABASE_URL", `billing:.env@${"a".repeat(40)}`],
      ["/myapp/database/password/1", "s3://vault/ssm-payments.py@3Lg.v2"],
    ]);
  });

  it("stores the structured database secret only when asked, with the password decoded", () => {
    const uri = "postgres://billing:p%40ss%2Fword-9@db.internal:5432/billing";
    const whole = planMigration([candidate("db", uri, { key: "DATABASE_URL" })], base);
    expect(whole.targets[0]?.value).toBe(uri);
    const mapping = parseMapping('mappings:\n  db: { name: billing-db, format: database-json }\n', "map.yaml", config.template);
    const structured = planMigration([candidate("db", uri, { key: "DATABASE_URL" })], { ...base, decisions: checkMapping(mapping, [candidate("db", uri)]) });
    expect(structured.targets[0]).toMatchObject({ name: "/acme/payments/prod/api/billing-db", format: "database-json" });
    expect(JSON.parse(structured.targets[0]?.value ?? "")).toEqual({ engine: "postgres", host: "db.internal", port: 5432, username: "billing", password: "p@ss/word-9", dbname: "billing" });
    const notUri = planMigration([candidate("x", "just-a-password", { key: "DB_PASSWORD" })], { ...base, decisions: new Map([["x", { action: "import" as const, format: "database-json" as const }]]) });
    expect(notUri.problems[0]?.message).toMatch(/format database-json: the value is not a URI/);
    expect(() => parseMapping('mappings:\n  db: { format: xml }\n', "map.yaml", config.template)).toThrow(/^map\.yaml:2 db: format must be whole or database-json/);
  });

  it("reports one value found in several apps, and keeps a source separate when asked", () => {
    const shared = [
      candidate("b", "shared-sendgrid-key-1", { file: "settings.py", key: "SENDGRID_API_KEY", origin: "billing" }),
      candidate("o", "shared-sendgrid-key-1", { file: "settings.py", key: "SENDGRID_API_KEY", origin: "orders" }),
    ];
    const { app: _app, ...noApp } = base.parts;
    const plan = planMigration(shared, { ...base, parts: noApp });
    expect(plan.reuse).toEqual([{ name: "/acme/payments/prod/billing/sendgrid-api-key", store: "secretsmanager", apps: ["billing", "orders"] }]);
    expect(formatPlanTable(plan)).toContain("[reuse] /acme/payments/prod/billing/sendgrid-api-key: one value in billing, orders");
    const separate = planMigration(shared, { ...base, parts: noApp, decisions: new Map([["o", { action: "import" as const, separate: true }]]) });
    expect(separate.targets.map((target) => target.name)).toEqual(["/acme/payments/prod/billing/sendgrid-api-key", "/acme/payments/prod/orders/sendgrid-api-key"]);
    expect(separate.reuse).toEqual([]);
  });

  it("refuses a value whose hash differs from the reviewed plan's", () => {
    const reviewed = planMigration([candidate("legacy:aaa", "reviewed-value", { key: "db_password" })], base);
    const mapping = parseMapping(planToJson(reviewed), "plan.json", config.template);
    const changed = [candidate("legacy:aaa", "changed-after-review", { key: "db_password" })];
    const plan = planMigration(changed, { ...base, decisions: checkMapping(mapping, changed), ...(mapping.hashKeyId ? { reviewedKeyId: mapping.hashKeyId } : {}) });
    expect(plan.problems.map((problem) => problem.message)).toEqual([
      's3://vault/ssm-payments.py:3: the value for "/acme/payments/prod/api/db-password" differs from the one in the reviewed plan; review the source and save the plan again',
    ]);
    const same = planMigration([candidate("legacy:aaa", "reviewed-value", { key: "db_password" })], { ...base, decisions: checkMapping(mapping, changed), reviewedKeyId: hasher.keyId });
    expect(same.problems).toEqual([]);
  });
});
