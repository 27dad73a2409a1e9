/**
 * The IAM policy documents of a team's groups, as plain data. Each role is scoped to the
 * team's name prefix in both stores (and, with tag conditions, to resources tagged with
 * the team); KMS is usable only through Secrets Manager and SSM; auditors never read a
 * value; only admins may delete without recovery.
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
  /** ARN patterns of the whole organisation's namespace; values outside it are denied. */
  orgArns?: { secrets: string; parameters: string };
  kmsAlias: string;
  /** Account of the key, or `*`. */
  accountId: string;
  tagConditions: boolean;
}

const SECRET_VALUE_READS = ["secretsmanager:GetSecretValue", "secretsmanager:BatchGetSecretValue"];
const PARAMETER_READS = ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath", "ssm:GetParameterHistory"];
const VALUE_WRITES = ["secretsmanager:PutSecretValue", "ssm:PutParameter"];
const SECRET_METADATA = ["secretsmanager:DescribeSecret", "secretsmanager:ListSecretVersionIds", "secretsmanager:GetResourcePolicy"];
const LISTS = ["secretsmanager:ListSecrets", "ssm:DescribeParameters"];

/** The policy of one role of one team. */
export function rolePolicy(role: GroupRole, scope: TeamScope): PolicyDocument {
  const statements: PolicyStatement[] = [{ Sid: "ListNames", Effect: "Allow", Action: LISTS, Resource: "*" }];
  switch (role) {
    case "readers":
      statements.push(
        secretsStatement("ReadTeamSecrets", [...SECRET_VALUE_READS, ...SECRET_METADATA], scope),
        parametersStatement("ReadTeamParameters", [...PARAMETER_READS, "ssm:ListTagsForResource"], scope),
        kmsStatement("DecryptThroughSecretStores", ["kms:Decrypt"], scope),
      );
      break;
    case "writers":
      statements.push(
        secretsStatement("WriteTeamSecrets", ["secretsmanager:PutSecretValue", ...SECRET_METADATA], scope),
        createStatement(scope),
        parametersStatement("WriteTeamParameters", ["ssm:PutParameter", "ssm:AddTagsToResource", "ssm:ListTagsForResource"], scope),
        kmsStatement("EncryptThroughSecretStores", ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"], scope),
      );
      break;
    case "admins":
      statements.push(
        secretsStatement("AdministerTeamSecrets", ["secretsmanager:*"], scope),
        createStatement(scope),
        parametersStatement("AdministerTeamParameters", ["ssm:*"], scope),
        kmsStatement("UseKeyThroughSecretStores", ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"], scope),
      );
      break;
    case "auditors":
      statements.push(
        secretsStatement("DescribeTeamSecrets", SECRET_METADATA, scope),
        parametersStatement("DescribeTeamParameters", ["ssm:ListTagsForResource"], scope),
        {
          Sid: "NeverReadValues",
          Effect: "Deny",
          Action: [...SECRET_VALUE_READS, ...PARAMETER_READS, "kms:Decrypt"],
          Resource: "*",
        },
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
      Action: [...SECRET_VALUE_READS, ...PARAMETER_READS, ...VALUE_WRITES],
      NotResource: [scope.orgArns.secrets, scope.orgArns.parameters],
    });
  }
  return { Version: "2012-10-17", Statement: statements };
}

// aws:ResourceTag/team is the global twin of secretsmanager:ResourceTag/team; IAM policy simulators know only the global key.
function secretsStatement(sid: string, actions: string[], scope: TeamScope): PolicyStatement {
  return {
    Sid: sid,
    Effect: "Allow",
    Action: actions,
    Resource: scope.secretsArn,
    ...(scope.tagConditions ? { Condition: { StringEquals: { "aws:ResourceTag/team": scope.team } } } : {}),
  };
}

function parametersStatement(sid: string, actions: string[], scope: TeamScope): PolicyStatement {
  return {
    Sid: sid,
    Effect: "Allow",
    Action: actions,
    Resource: scope.parametersArn,
    ...(scope.tagConditions ? { Condition: { StringEquals: { "aws:ResourceTag/team": scope.team } } } : {}),
  };
}

/** New secrets under the prefix; with tag conditions they must be created with the team's tag. */
function createStatement(scope: TeamScope): PolicyStatement {
  return {
    Sid: "CreateTeamSecrets",
    Effect: "Allow",
    Action: ["secretsmanager:CreateSecret", "secretsmanager:TagResource"],
    Resource: scope.secretsArn,
    ...(scope.tagConditions ? { Condition: { StringEquals: { "aws:RequestTag/team": scope.team } } } : {}),
  };
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
