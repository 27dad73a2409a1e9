/**
 * The IAM policy documents of a team's groups, as plain data. Each role is scoped to the
 * team's name prefix in both stores (and, with tag conditions, to resources tagged with
 * the team); KMS is usable only through Secrets Manager and SSM; auditors never read a
 * value; only admins may delete without recovery. Every action is listed by name, and an
 * action that takes no resource-level permission (the Service Authorization Reference
 * lists no resource type for it) is granted on `*` only, never on a scoped ARN.
 */
import type { GroupRole } from "../core/config.ts";

export interface PolicyStatement {
  Sid: string;
  Effect: "Allow" | "Deny";
  Action: string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: PolicyStatement[];
}

export interface TeamScope {
  team: string;
  /** ARN pattern of the team's secrets, e.g. `arn:aws:secretsmanager:*:*:secret:/acme/payments/*`. */
  secretsArn: string;
  /** ARN pattern of the team's parameters, e.g. `arn:aws:ssm:*:*:parameter/acme/payments/*`. */
  parametersArn: string;
  /** ARN of the team's parameter path itself, e.g. `arn:aws:ssm:*:*:parameter/acme/payments`: GetParametersByPath is authorized on the path asked for. */
  parameterPathArn: string;
  /** ARN patterns of the whole organisation's namespace; values outside it are denied. */
  orgArns?: { secrets: string; parameters: string };
  kmsAlias: string;
  /** Account of the key, or `*`. */
  accountId: string;
  tagConditions: boolean;
  /** Rotation functions of the team's secrets: RotateSecret also needs lambda:InvokeFunction on the function. */
  rotationFunctions: readonly string[];
}

const SECRET_METADATA = ["secretsmanager:DescribeSecret", "secretsmanager:ListSecretVersionIds", "secretsmanager:GetResourcePolicy"];
const PARAMETER_READS = ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParameterHistory"];
const SECRET_ADMIN = [
  "secretsmanager:GetSecretValue",
  "secretsmanager:PutSecretValue",
  ...SECRET_METADATA,
  "secretsmanager:UpdateSecret",
  "secretsmanager:UpdateSecretVersionStage",
  "secretsmanager:RotateSecret",
  "secretsmanager:CancelRotateSecret",
  "secretsmanager:DeleteSecret",
  "secretsmanager:RestoreSecret",
  "secretsmanager:TagResource",
  "secretsmanager:UntagResource",
  "secretsmanager:PutResourcePolicy",
  "secretsmanager:DeleteResourcePolicy",
  "secretsmanager:ValidateResourcePolicy",
  "secretsmanager:ReplicateSecretToRegions",
  "secretsmanager:RemoveRegionsFromReplication",
  "secretsmanager:StopReplicationToReplica",
];
const PARAMETER_ADMIN = [
  ...PARAMETER_READS,
  "ssm:PutParameter",
  "ssm:DeleteParameter",
  "ssm:DeleteParameters",
  "ssm:LabelParameterVersion",
  "ssm:UnlabelParameterVersion",
  "ssm:AddTagsToResource",
  "ssm:RemoveTagsFromResource",
  "ssm:ListTagsForResource",
];
/** Reads that return a value; auditors are denied all of them, on `*`. */
const VALUE_READS = ["secretsmanager:GetSecretValue", "secretsmanager:BatchGetSecretValue", ...PARAMETER_READS, "ssm:GetParametersByPath"];
/** Scoped value reads and writes, denied outside the organisation's namespace (BatchGetSecretValue is left to GetSecretValue). */
const SCOPED_VALUE_ACCESS = ["secretsmanager:GetSecretValue", ...PARAMETER_READS, "ssm:GetParametersByPath", "secretsmanager:PutSecretValue", "ssm:PutParameter"];

/** The policy of one role of one team. */
export function rolePolicy(role: GroupRole, scope: TeamScope): PolicyDocument {
  const statements: PolicyStatement[] = [{ Sid: "ListNames", Effect: "Allow", Action: ["secretsmanager:ListSecrets", "ssm:DescribeParameters"], Resource: "*" }];
  switch (role) {
    case "readers":
      statements.push(
        existing("ReadTeamSecrets", ["secretsmanager:GetSecretValue", ...SECRET_METADATA], scope.secretsArn, scope),
        batchReads(),
        existing("ReadTeamParameters", [...PARAMETER_READS, "ssm:ListTagsForResource"], scope.parametersArn, scope),
        byPath(scope),
        kmsStatement("DecryptThroughSecretStores", ["kms:Decrypt"], scope),
      );
      break;
    case "writers":
      statements.push(
        existing("WriteTeamSecrets", ["secretsmanager:PutSecretValue", ...SECRET_METADATA], scope.secretsArn, scope),
        created("CreateTeamSecrets", ["secretsmanager:CreateSecret", "secretsmanager:TagResource"], scope.secretsArn, scope),
        existing("WriteTeamParameters", ["ssm:PutParameter", "ssm:ListTagsForResource"], scope.parametersArn, scope),
        created("CreateTeamParameters", ["ssm:PutParameter", "ssm:AddTagsToResource"], scope.parametersArn, scope),
        kmsStatement("EncryptThroughSecretStores", ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"], scope),
      );
      break;
    case "admins":
      statements.push(
        existing("AdministerTeamSecrets", SECRET_ADMIN, scope.secretsArn, scope),
        created("CreateTeamSecrets", ["secretsmanager:CreateSecret", "secretsmanager:TagResource"], scope.secretsArn, scope),
        batchReads(),
        existing("AdministerTeamParameters", PARAMETER_ADMIN, scope.parametersArn, scope),
        created("CreateTeamParameters", ["ssm:PutParameter", "ssm:AddTagsToResource"], scope.parametersArn, scope),
        byPath(scope),
        kmsStatement("UseKeyThroughSecretStores", ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"], scope),
      );
      if (scope.rotationFunctions.length > 0) {
        statements.push({ Sid: "InvokeTeamRotationFunctions", Effect: "Allow", Action: ["lambda:InvokeFunction"], Resource: [...scope.rotationFunctions] });
      }
      break;
    case "auditors":
      statements.push(
        existing("DescribeTeamSecrets", SECRET_METADATA, scope.secretsArn, scope),
        existing("DescribeTeamParameters", ["ssm:ListTagsForResource"], scope.parametersArn, scope),
        { Sid: "NeverReadValues", Effect: "Deny", Action: [...VALUE_READS, "kms:Decrypt"], Resource: "*" },
      );
      break;
  }
  if (role !== "admins") {
    statements.push({
      Sid: "OnlyAdminsForceDelete",
      Effect: "Deny",
      Action: ["secretsmanager:DeleteSecret"],
      Resource: "*",
      Condition: { Bool: { "secretsmanager:ForceDeleteWithoutRecovery": "true" } },
    });
  }
  if (scope.orgArns && role !== "auditors") {
    statements.push({
      Sid: "DenyValuesOutsideNamespace",
      Effect: "Deny",
      Action: SCOPED_VALUE_ACCESS,
      NotResource: [scope.orgArns.secrets, scope.orgArns.parameters],
    });
  }
  return { Version: "2012-10-17", Statement: statements };
}

/**
 * Actions on resources that exist: with tag conditions, the resource must carry the team's tag.
 * aws:ResourceTag/team is the global twin of secretsmanager:ResourceTag/team; IAM policy simulators know only the global key.
 */
function existing(sid: string, actions: string[], resource: string, scope: TeamScope): PolicyStatement {
  return {
    Sid: sid,
    Effect: "Allow",
    Action: actions,
    Resource: resource,
    ...(scope.tagConditions ? { Condition: { StringEquals: { "aws:ResourceTag/team": scope.team } } } : {}),
  };
}

/** Creation: a resource that does not exist yet has no tags, so with tag conditions the request must carry the team's tag. */
function created(sid: string, actions: string[], resource: string, scope: TeamScope): PolicyStatement {
  return {
    Sid: sid,
    Effect: "Allow",
    Action: actions,
    Resource: resource,
    ...(scope.tagConditions ? { Condition: { StringEquals: { "aws:RequestTag/team": scope.team } } } : {}),
  };
}

/** BatchGetSecretValue takes only `*`; Secrets Manager then checks GetSecretValue on each secret and returns an error for those refused. */
function batchReads(): PolicyStatement {
  return { Sid: "BatchReadSecrets", Effect: "Allow", Action: ["secretsmanager:BatchGetSecretValue"], Resource: "*" };
}

/** GetParametersByPath is authorized on the requested path, which carries no tags: the team's path and every path below it, never a tag condition. */
function byPath(scope: TeamScope): PolicyStatement {
  return { Sid: "ReadTeamParametersByPath", Effect: "Allow", Action: ["ssm:GetParametersByPath"], Resource: [scope.parameterPathArn, `${scope.parameterPathArn}/*`] };
}

function kmsStatement(sid: string, actions: string[], scope: TeamScope): PolicyStatement {
  return {
    Sid: sid,
    Effect: "Allow",
    Action: actions,
    Resource: `arn:aws:kms:*:${scope.accountId}:key/*`,
    Condition: {
      StringLike: { "kms:ViaService": ["secretsmanager.*.amazonaws.com", "ssm.*.amazonaws.com"] },
      "ForAnyValue:StringEquals": { "kms:ResourceAliases": scope.kmsAlias },
    },
  };
}
