import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { exampleConfig, resources, synthesize, type TerraformJson } from "./synth.ts";

type Statement = { Sid: string; Effect: string; Principal?: { AWS?: string | string[]; Service?: string | string[] }; Action: string | string[]; Condition?: unknown };

describe("state stack from the example config", () => {
  let state: TerraformJson;
  beforeAll(() => {
    state = synthesize(exampleConfig()).state;
  });

  it("starts on a local backend at the project root, named relative to the stack's working directory", () => {
    expect(state.terraform.backend).toEqual({ local: { path: "../../../terraform.state.tfstate" } });
    expect(path.resolve("/project/cdktf.out/stacks/state", String(state.terraform.backend?.local?.path))).toBe("/project/terraform.state.tfstate");
  });

  it("creates a rotating multi-Region KMS key with the configured alias", () => {
    const [key] = resources(state, "aws_kms_key");
    expect(key).toMatchObject({ enable_key_rotation: true, multi_region: true, deletion_window_in_days: 30 });
    expect(resources(state, "aws_kms_alias").map((alias) => alias.name)).toEqual(["alias/acme-secrets", "alias/acme-secrets"]);
    expect(resources(state, "aws_kms_replica_key")).toHaveLength(1);
  });

  it("grants the key to the account root and the configured admins, and to services only for what needs them", () => {
    const [key] = resources(state, "aws_kms_key");
    const statements = (JSON.parse(String(key?.policy)) as { Statement: Statement[] }).Statement;
    const bySid = Object.fromEntries(statements.map((statement) => [statement.Sid, statement]));
    expect(bySid.EnableIamPolicies?.Principal).toEqual({ AWS: "arn:aws:iam::123456789012:root" });
    expect(bySid.KeyAdministrators?.Principal).toEqual({ AWS: ["arn:aws:iam::123456789012:role/platform-admin"] });
    expect(bySid.KeyAdministrators?.Action).not.toContain("kms:Decrypt");
    // The example shares stripe-key with one account and creates its own alarm topic.
    expect(bySid.SharedSecretReaders?.Condition).toEqual({ StringLike: { "kms:ViaService": "secretsmanager.*.amazonaws.com" } });
    expect(bySid.AlarmNotifications?.Principal).toEqual({ Service: ["events.amazonaws.com"] });
    expect(statements).toHaveLength(4);
  });

  it("keeps state in a versioned bucket encrypted with the key, public access blocked", () => {
    const [bucket] = resources(state, "aws_s3_bucket");
    expect(bucket?.bucket).toBe("acme-vaultlift-tfstate");
    expect(resources(state, "aws_s3_bucket_versioning")[0]?.versioning_configuration).toEqual({ status: "Enabled" });
    const [encryption] = resources(state, "aws_s3_bucket_server_side_encryption_configuration");
    expect(encryption?.rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: expect.stringMatching(/^\$\{aws_kms_key\.[^.]+\.arn\}$/) }, bucket_key_enabled: true },
    ]);
    expect(resources(state, "aws_s3_bucket_public_access_block")[0]).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    const [lifecycle] = resources(state, "aws_s3_bucket_lifecycle_configuration");
    expect(lifecycle?.rule).toEqual([expect.objectContaining({ status: "Enabled", noncurrent_version_expiration: [{ noncurrent_days: 90 }] })]);
  });

  it("denies non-TLS access and puts that ask for anything but SSE-KMS", () => {
    const [policy] = resources(state, "aws_s3_bucket_policy");
    const statements = (JSON.parse(String(policy?.policy)) as { Statement: Statement[] }).Statement;
    expect(statements).toEqual([
      expect.objectContaining({ Effect: "Deny", Action: "s3:*", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
      expect.objectContaining({ Effect: "Deny", Action: "s3:PutObject", Condition: { StringNotEqualsIfExists: { "s3:x-amz-server-side-encryption": "aws:kms" } } }),
    ]);
  });

  it("has no lock table when locking by S3 lock file", () => {
    expect(resources(state, "aws_dynamodb_table")).toEqual([]);
  });
});

describe("state stack after the migration, locking with DynamoDB", () => {
  let stacks: ReturnType<typeof synthesize>;
  beforeAll(() => {
    stacks = synthesize(exampleConfig({ "state.stackBackend": "s3", "state.lock": "dynamodb", "state.dynamodbTable": "acme-tf-locks" }));
  });

  it("moves the state stack onto the S3 backend", () => {
    expect(stacks.state.terraform.backend?.s3).toMatchObject({ bucket: "acme-vaultlift-tfstate", key: "vaultlift/state.tfstate", encrypt: true, kms_key_id: "alias/acme-secrets" });
  });

  it("creates the lock table encrypted with the key, with point-in-time recovery", () => {
    const [table] = resources(stacks.state, "aws_dynamodb_table");
    expect(table).toMatchObject({
      name: "acme-tf-locks",
      hash_key: "LockID",
      attribute: [{ name: "LockID", type: "S" }],
      server_side_encryption: { enabled: true },
      point_in_time_recovery: { enabled: true },
    });
  });

  it("locks every stack with the table instead of a lock file", () => {
    for (const json of [stacks.state, stacks.secrets, stacks.access]) {
      expect(json.terraform.backend?.s3).toMatchObject({ dynamodb_table: "acme-tf-locks", encrypt: true });
      expect(json.terraform.backend?.s3).not.toHaveProperty("use_lockfile");
    }
  });
});

describe("state stack without an account id in the config", () => {
  it("takes the account from the caller identity for the key policy's root principal", () => {
    const { state, access } = synthesize(exampleConfig({ accountId: undefined, "kms.admins": [] }));
    expect(Object.keys(state.data?.aws_caller_identity ?? {})).toHaveLength(1);
    const statements = (JSON.parse(String(resources(state, "aws_kms_key")[0]?.policy)) as { Statement: Statement[] }).Statement;
    expect(statements[0]?.Principal?.AWS).toMatch(/^arn:aws:iam::\$\{data\.aws_caller_identity\.[^.]+\.account_id\}:root$/);
    expect(statements.map((statement) => statement.Sid)).not.toContain("KeyAdministrators");
    const policy = JSON.parse(String(resources(access, "aws_iam_group_policy")[0]?.policy)) as { Statement: { Resource?: string }[] };
    expect(policy.Statement.map((statement) => statement.Resource)).toContain("arn:aws:secretsmanager:*:*:secret:/acme/payments/*");
  });
});

describe("state stack with a group among the key administrators", () => {
  it("keeps the group out of the key policy and gives it an IAM policy on the key instead", () => {
    const { state } = synthesize(exampleConfig({ "kms.admins": ["arn:aws:iam::123456789012:role/platform-admin", "arn:aws:iam::123456789012:group/ops/key-admins"] }));
    const statements = (JSON.parse(String(resources(state, "aws_kms_key")[0]?.policy)) as { Statement: Statement[] }).Statement;
    expect(statements.find((statement) => statement.Sid === "KeyAdministrators")?.Principal).toEqual({ AWS: ["arn:aws:iam::123456789012:role/platform-admin"] });
    const [groupPolicy] = resources(state, "aws_iam_group_policy");
    expect(groupPolicy?.group).toBe("key-admins");
    expect(JSON.parse(String(groupPolicy?.policy)).Statement[0]).toMatchObject({ Effect: "Allow", Resource: expect.stringMatching(/^\$\{aws_kms_key\.[^.]+\.arn\}$/) });
  });
});
