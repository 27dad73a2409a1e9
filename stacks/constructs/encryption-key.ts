/**
 * The customer-managed KMS key that encrypts every secret, parameter and the Terraform
 * state: rotation on, an alias from the config, and a key policy that names only the
 * account root (which delegates to IAM) and the configured key administrators.
 * The key is multi-Region so replica secrets can use a replica of it under the same alias.
 */
import { Construct } from "constructs";
import { IamGroupPolicy } from "@cdktf/provider-aws/lib/iam-group-policy/index.js";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias/index.js";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key/index.js";
import { KmsReplicaKey } from "@cdktf/provider-aws/lib/kms-replica-key/index.js";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider/index.js";

export interface EncryptionKeyProps {
  alias: string;
  /** Account that owns the key; a token when the config does not name one. */
  accountId: string;
  /** Role or user ARNs that administer the key; group ARNs get an IAM policy instead (a key policy cannot name a group). */
  admins: readonly string[];
  deletionWindowDays: number;
  /** Regions that hold replica secrets: each gets a replica key under the same alias. */
  replicaRegions: readonly string[];
  /** Accounts that read shared secrets through Secrets Manager. */
  sharedAccounts: readonly string[];
  /** AWS services that publish to topics encrypted with the key (alarm notifications). */
  notifyingServices: readonly string[];
  tags: Record<string, string>;
  /** Default tags of the providers created for replica regions. */
  providerTags: Record<string, string>;
}

const ADMIN_ACTIONS = [
  "kms:Create*",
  "kms:Describe*",
  "kms:Enable*",
  "kms:List*",
  "kms:Put*",
  "kms:Update*",
  "kms:Revoke*",
  "kms:Disable*",
  "kms:Get*",
  "kms:Delete*",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:ScheduleKeyDeletion",
  "kms:CancelKeyDeletion",
  "kms:RotateKeyOnDemand",
  "kms:ReplicateKey",
];

export class EncryptionKey extends Construct {
  readonly key: KmsKey;
  readonly alias: KmsAlias;
  readonly policy: Record<string, unknown>;

  constructor(scope: Construct, id: string, props: EncryptionKeyProps) {
    super(scope, id);
    const roleAdmins = props.admins.filter((arn) => !isGroupArn(arn));
    const groupAdmins = props.admins.filter(isGroupArn);
    this.policy = keyPolicy(props, roleAdmins);
    const policy = JSON.stringify(this.policy);

    this.key = new KmsKey(this, "key", {
      description: `vaultlift: secrets, parameters and Terraform state (${props.alias})`,
      enableKeyRotation: true,
      deletionWindowInDays: props.deletionWindowDays,
      multiRegion: true,
      policy,
      tags: props.tags,
    });
    this.alias = new KmsAlias(this, "alias", { name: props.alias, targetKeyId: this.key.keyId });

    for (const region of props.replicaRegions) {
      const provider = new AwsProvider(this, `provider-${region}`, { alias: region.replaceAll("-", "_"), region, defaultTags: [{ tags: props.providerTags }] });
      const replica = new KmsReplicaKey(this, `replica-${region}`, {
        provider,
        primaryKeyArn: this.key.arn,
        description: `vaultlift: replica of ${props.alias} for replica secrets`,
        deletionWindowInDays: props.deletionWindowDays,
        policy,
        tags: props.tags,
      });
      new KmsAlias(this, `replica-alias-${region}`, { provider, name: props.alias, targetKeyId: replica.keyId });
    }

    for (const arn of groupAdmins) {
      const group = arn.slice(arn.lastIndexOf("/") + 1);
      new IamGroupPolicy(this, `admin-group-${group}`, {
        group,
        name: "vaultlift-kms-admin",
        policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Sid: "AdministerSecretsKey", Effect: "Allow", Action: ADMIN_ACTIONS, Resource: this.key.arn }],
        }),
      });
    }
  }
}

function keyPolicy(props: EncryptionKeyProps, admins: readonly string[]): Record<string, unknown> {
  const statements: Record<string, unknown>[] = [
    {
      Sid: "EnableIamPolicies",
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${props.accountId}:root` },
      Action: "kms:*",
      Resource: "*",
    },
  ];
  if (admins.length > 0) {
    statements.push({ Sid: "KeyAdministrators", Effect: "Allow", Principal: { AWS: [...admins] }, Action: ADMIN_ACTIONS, Resource: "*" });
  }
  if (props.sharedAccounts.length > 0) {
    statements.push({
      Sid: "SharedSecretReaders",
      Effect: "Allow",
      Principal: { AWS: props.sharedAccounts.map((account) => `arn:aws:iam::${account}:root`) },
      Action: ["kms:Decrypt", "kms:DescribeKey"],
      Resource: "*",
      Condition: { StringLike: { "kms:ViaService": "secretsmanager.*.amazonaws.com" } },
    });
  }
  if (props.notifyingServices.length > 0) {
    statements.push({
      Sid: "AlarmNotifications",
      Effect: "Allow",
      Principal: { Service: [...props.notifyingServices] },
      Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
      Resource: "*",
    });
  }
  return { Version: "2012-10-17", Statement: statements };
}

function isGroupArn(arn: string): boolean {
  return /^arn:aws[a-z-]*:iam::\d{12}:group\//.test(arn);
}
