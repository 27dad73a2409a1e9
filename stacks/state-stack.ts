/**
 * The state stack: the KMS key, the state bucket and (when configured) the lock table.
 * It is deployed first on a local backend, then its own state moves into the bucket
 * it created (`state.stackBackend: s3` and `cdktf deploy state --migrate-state`).
 */
import { LocalBackend, TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity/index.js";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider/index.js";
import type { Config } from "../core/config.ts";
import { requireTerraform, useRemoteBackend } from "./backend.ts";
import { EncryptionKey } from "./constructs/encryption-key.ts";
import { LockTable } from "./constructs/lock-table.ts";
import { StateBucket } from "./constructs/state-bucket.ts";
import { DELETED_SECRET_ALARM_SERVICES } from "./constructs/deleted-secret-access-alarm.ts";
import { defaultTags, STACK_NAMES } from "./names.ts";

export class StateStack extends TerraformStack {
  readonly key: EncryptionKey;
  readonly bucket: StateBucket;

  constructor(scope: Construct, config: Config) {
    super(scope, STACK_NAMES.state);
    if (config.state.stackBackend === "s3") useRemoteBackend(this, config, STACK_NAMES.state);
    // Relative to the stack's working directory (cdktf.out/stacks/state): the file sits at the project root, and the JSON is the same on every machine.
    else new LocalBackend(this, { path: `../../../terraform.${STACK_NAMES.state}.tfstate` });
    requireTerraform(this, config);
    new AwsProvider(this, "aws", { region: config.region, defaultTags: [{ tags: defaultTags(config) }] });
    const accountId = config.accountId ?? new DataAwsCallerIdentity(this, "account").accountId;
    const tags = { "vaultlift:stack": STACK_NAMES.state };

    this.key = new EncryptionKey(this, "secrets-key", {
      alias: config.kms.alias,
      accountId,
      admins: config.kms.admins,
      deletionWindowDays: config.kms.deletionWindowDays,
      replicaRegions: [...new Set(config.secrets.flatMap((secret) => secret.replicas))].sort(),
      sharedAccounts: [...new Set(config.secrets.flatMap((secret) => secret.resourcePolicy?.allowAccounts ?? []))].sort(),
      notifyingServices: config.monitoring.deletedSecretAccessAlarm && !config.monitoring.snsTopicArn ? DELETED_SECRET_ALARM_SERVICES : [],
      tags,
      providerTags: defaultTags(config),
    });
    this.bucket = new StateBucket(this, "state-bucket", {
      bucketName: config.state.bucket,
      kmsKeyArn: this.key.key.arn,
      noncurrentVersionDays: config.state.noncurrentVersionDays,
      tags,
    });
    if (config.state.lock === "dynamodb" && config.state.dynamodbTable) {
      new LockTable(this, "lock-table", { tableName: config.state.dynamodbTable, kmsKeyArn: this.key.key.arn, tags });
    }

    new TerraformOutput(this, "kms_key_arn", { value: this.key.key.arn });
    new TerraformOutput(this, "state_bucket", { value: this.bucket.bucket.bucket });
  }
}
