import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { PLACEHOLDER_VALUE, WRITTEN_ONCE } from "../../stacks/constructs/secure-parameter.ts";
import { EXAMPLE_CONFIG, exampleConfig, resources, resourceWhere, synthesize, walk, type Synthesized, type TerraformJson } from "./synth.ts";

const SECRET = "aws_secretsmanager_secret";
const KEY_ID = "${data.aws_kms_alias.secrets-key.target_key_id}";
const VERSION = "aws_secretsmanager_secret_version";

/** The Terraform address of the secret a version or policy points at. */
function secretAddress(secrets: TerraformJson, name: string): string {
  const entry = Object.entries(secrets.resource?.[SECRET] ?? {}).find(([, secret]) => secret.name === name);
  if (!entry) throw new Error(`no secret named ${name}`);
  return `${SECRET}.${entry[0]}`;
}

describe("secrets stack from the example config (write-only, the default)", () => {
  let stacks: Synthesized;
  let secrets: TerraformJson;
  beforeAll(() => {
    stacks = synthesize(exampleConfig());
    secrets = stacks.secrets;
  });

  it("declares one Secrets Manager secret per random and third-party secret, named by the convention", () => {
    expect(resources(secrets, SECRET).map((secret) => secret.name).sort()).toEqual([
      "/acme/payments/prod/api/api-credentials",
      "/acme/payments/prod/api/db-password",
      "/acme/payments/prod/billing/stripe-key",
      "/acme/search/dev/indexer/algolia-admin-key",
    ]);
  });

  it("encrypts secrets with the key's id, looked up by alias: Secrets Manager would read an alias back as its ARN", () => {
    expect(secrets.data?.aws_kms_alias).toEqual({ "secrets-key": { name: "alias/acme-secrets" } });
    for (const secret of resources(secrets, SECRET)) expect(secret.kms_key_id).toBe(KEY_ID);
  });

  it("sets description, tags and recovery window from the config", () => {
    const db = resourceWhere(secrets, SECRET, "name", "/acme/payments/prod/api/db-password");
    expect(db).toMatchObject({
      description: "Primary database password",
      recovery_window_in_days: 7,
      tags: { team: "payments", env: "prod", app: "api", owner: "payments-oncall", "vaultlift:kind": "random" },
    });
    expect(resourceWhere(secrets, SECRET, "name", "/acme/search/dev/indexer/algolia-admin-key").recovery_window_in_days).toBe(30);
  });

  it("generates random values in ephemeral blocks with the configured length and classes", () => {
    const blocks = secrets.ephemeral?.random_password ?? {};
    expect(Object.keys(blocks)).toHaveLength(2);
    expect(blocks["acme_payments_prod_api_db-password"]).toEqual({
      length: 40,
      upper: true,
      lower: true,
      numeric: true,
      special: true,
      min_upper: 1,
      min_lower: 1,
      min_numeric: 1,
      min_special: 2,
      override_special: "!#%&*-_=+",
    });
    expect(blocks["acme_payments_prod_api_api-credentials"]).toMatchObject({ length: 32, special: false });
  });

  it("writes random values only through the write-only argument, versioned by random.version", () => {
    const versions = resources(secrets, VERSION);
    expect(versions).toHaveLength(2);
    const db = versions.find((version) => version.secret_id === `\${${secretAddress(secrets, "/acme/payments/prod/api/db-password")}.id}`);
    expect(db).toEqual({
      secret_id: expect.any(String),
      secret_string_wo: "${ephemeral.random_password.acme_payments_prod_api_db-password.result}",
      secret_string_wo_version: 1,
    });
    const json = versions.find((version) => version.secret_id === `\${${secretAddress(secrets, "/acme/payments/prod/api/api-credentials")}.id}`);
    expect(json?.secret_string_wo).toBe('${jsonencode({"password" = ephemeral.random_password.acme_payments_prod_api_api-credentials.result})}');
  });

  it("keeps every value out of every synthesized stack: no secret_string, no random_password resource", () => {
    for (const json of Object.values(stacks)) {
      for (const [at, value] of walk(json)) {
        expect(at.at(-1), at.join(".")).not.toBe("secret_string");
        expect(at.at(-1), at.join(".")).not.toBe("secret_binary");
        if (at[0] === "resource") expect(at[1], at.join(".")).not.toBe("random_password");
        if (typeof value === "string" && value.includes("random_password")) expect(at.slice(0, 2).join("."), at.join(".")).toMatch(/^(ephemeral\.random_password|resource\.aws_secretsmanager_secret_version)$/);
      }
    }
  });

  it("gives third-party secrets a container only", () => {
    for (const name of ["/acme/payments/prod/billing/stripe-key", "/acme/search/dev/indexer/algolia-admin-key"]) {
      const address = secretAddress(secrets, name);
      for (const [at, value] of walk(secrets.resource)) {
        if (typeof value === "string" && value.includes(address)) expect(at[0], at.join(".")).toMatch(/^aws_secretsmanager_secret_(policy|rotation)$/);
      }
    }
  });

  it("adds replicas with the key's id, which its multi-Region replica shares, and the resource policy", () => {
    expect(resourceWhere(secrets, SECRET, "name", "/acme/payments/prod/billing/stripe-key").replica).toEqual([{ region: "eu-central-1", kms_key_id: KEY_ID }]);
    const [policy] = resources(secrets, "aws_secretsmanager_secret_policy");
    expect(policy?.block_public_policy).toBe(true);
    expect(JSON.parse(String(policy?.policy)).Statement[0]).toMatchObject({
      Effect: "Allow",
      Principal: { AWS: ["arn:aws:iam::210987654321:root"] },
      Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
    });
  });

  it("starts rotation only after the version that writes the first value", () => {
    const secretId = `\${${secretAddress(secrets, "/acme/payments/prod/api/api-credentials")}.id}`;
    const [version] = Object.entries(secrets.resource?.[VERSION] ?? {}).filter(([, resource]) => resource.secret_id === secretId);
    expect(resources(secrets, "aws_secretsmanager_secret_rotation")).toEqual([
      {
        secret_id: secretId,
        rotation_lambda_arn: "arn:aws:lambda:eu-west-1:123456789012:function:rotate-api-credentials",
        rotation_rules: { automatically_after_days: 30 },
        depends_on: [`${VERSION}.${version?.[0]}`],
      },
    ]);
  });

  it("lets a third-party secret's first rotation wait for the schedule, since its value comes later from vaultlift", () => {
    const withRotation = synthesize(
      exampleConfig({ "secrets.3.rotation": { lambdaArn: "arn:aws:lambda:eu-west-1:123456789012:function:rotate-algolia", days: 7 } }),
    ).secrets;
    const rotation = resources(withRotation, "aws_secretsmanager_secret_rotation").find((resource) => String(resource.rotation_lambda_arn).endsWith("rotate-algolia"));
    expect(rotation).toMatchObject({ secret_id: `\${${secretAddress(withRotation, "/acme/search/dev/indexer/algolia-admin-key")}.id}`, rotate_immediately: false });
    expect(rotation).not.toHaveProperty("depends_on");
  });

  it("creates SecureString parameters with the key, Advanced only above 4 KB, with a write-only placeholder", () => {
    const flags = resourceWhere(secrets, "aws_ssm_parameter", "name", "/acme/search/dev/indexer/feature-flags");
    expect(flags).toMatchObject({ type: "SecureString", key_id: "alias/acme-secrets", tier: "Standard", value_wo: PLACEHOLDER_VALUE, value_wo_version: 1 });
    expect(flags).not.toHaveProperty("value");
    expect(resourceWhere(secrets, "aws_ssm_parameter", "name", "/acme/payments/prod/edge/tls-bundle").tier).toBe("Advanced");
  });

  it("never writes a parameter after creating it: every argument the provider would send with PutParameter is ignored", () => {
    for (const parameter of resources(secrets, "aws_ssm_parameter")) {
      expect(parameter.lifecycle).toEqual({ ignore_changes: WRITTEN_ONCE });
      // Only the name (a change replaces the parameter) and tags (updated by their own calls) stay managed.
      const managed = Object.keys(parameter).filter((argument) => !WRITTEN_ONCE.includes(argument));
      expect(managed.sort()).toEqual(["lifecycle", "name", "tags", "value_wo"]);
    }
    const changed = synthesize(exampleConfig({ "secrets.5.description": "new text", "secrets.5.maxBytes": 100, "kms.alias": "alias/acme-other" })).secrets;
    const tls = resourceWhere(changed, "aws_ssm_parameter", "name", "/acme/payments/prod/edge/tls-bundle");
    expect(tls).toMatchObject({ description: "new text", tier: "Standard", key_id: "alias/acme-other", value_wo_version: 1 });
    for (const argument of ["description", "tier", "key_id", "value_wo_version"]) expect(WRITTEN_ONCE).toContain(argument);
  });

  it("asks for Terraform 1.11 in every stack (ephemeral resources, write-only arguments)", () => {
    for (const json of Object.values(stacks)) expect(json.terraform.required_version).toBe(">= 1.11.0");
  });

  it("stores every stack but the state stack in S3, encrypted with the key and locked by a lock file", () => {
    for (const [name, json] of Object.entries(stacks).filter(([name]) => name !== "state")) {
      expect(json.terraform.backend?.s3, name).toEqual({
        bucket: "acme-vaultlift-tfstate",
        key: `vaultlift/${name}.tfstate`,
        region: "eu-west-1",
        encrypt: true,
        kms_key_id: "alias/acme-secrets",
        use_lockfile: true,
      });
    }
  });
});

describe("secrets stack for Terraform older than 1.11 (terraform.ephemeralRandom: false)", () => {
  let secrets: TerraformJson;
  beforeAll(() => {
    secrets = synthesize(exampleConfig({ "terraform.ephemeralRandom": false })).secrets;
  });

  it("asks only for the Terraform that S3 lock files need", () => {
    expect(secrets.terraform.required_version).toBe(">= 1.10.0");
  });

  it("uses random_password resources and secret_string, with random.version as keeper", () => {
    expect(secrets.ephemeral).toBeUndefined();
    const passwords = resources(secrets, "random_password");
    expect(passwords).toHaveLength(2);
    expect(passwords).toContainEqual(expect.objectContaining({ length: 40, min_special: 2, keepers: { version: "1" } }));
    for (const version of resources(secrets, VERSION)) {
      expect(version.secret_string).toMatch(/random_password\.[^.]+\.result/);
      expect(version).not.toHaveProperty("secret_string_wo");
    }
  });

  it("still writes no third-party value, and parameters get a placeholder written once", () => {
    expect(resources(secrets, VERSION)).toHaveLength(2);
    const flags = resourceWhere(secrets, "aws_ssm_parameter", "name", "/acme/search/dev/indexer/feature-flags");
    expect(flags).toMatchObject({ value: PLACEHOLDER_VALUE, lifecycle: { ignore_changes: WRITTEN_ONCE } });
  });
});

describe("an invalid config", () => {
  it("fails synth with the loader's message naming the file, line and rule", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "vaultlift-synth-"));
    const file = path.join(dir, "vaultlift.yaml");
    writeFileSync(file, EXAMPLE_CONFIG.replace("name: stripe-key", "name: stripe-keyabcdef-abc123"));
    const run = promisify(execFile)(process.execPath, ["--import", "tsx", "main.ts"], { cwd: path.resolve(import.meta.dirname, "../.."), env: { ...process.env, VAULTLIFT_CONFIG: file } });
    const error = (await run.then(() => undefined, (failure: unknown) => failure)) as { code: number; stderr: string } | undefined;
    expect(error?.code).toBe(2);
    expect(error?.stderr).toMatch(/vaultlift\.yaml:\d+ secrets\[\d\]\.name: name "\/acme\/payments\/prod\/billing\/stripe-keyabcdef-abc123": Secrets Manager names must not end in a hyphen and six characters/);
  });
});
