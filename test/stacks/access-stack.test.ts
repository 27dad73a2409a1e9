import { runSimulation } from "@cloud-copilot/iam-simulate";
import { beforeAll, describe, expect, it } from "vitest";
import type { PolicyDocument } from "../../stacks/access-policies.ts";
import { exampleConfig, resources, synthesize, type TerraformJson } from "./synth.ts";

const ACCOUNT = "123456789012";
const USER = `arn:aws:iam::${ACCOUNT}:user/someone`;
const KEY = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/mrk-1234abcd12ab34cd56ef1234567890ab`;

/**
 * What the Service Authorization Reference says of every action the group policies use
 * ("Actions, resources, and condition keys for AWS Secrets Manager / AWS Systems Manager /
 * AWS KMS"): the resource type it is authorized on (`*` when the reference lists none, so a
 * policy can only grant it on `"*"`), and the condition keys that apply to it (the action's
 * own column plus its resource type's). `parameter path`: GetParametersByPath is authorized on
 * the path in the request, which is not a parameter and has no tags (Systems Manager user
 * guide, "Restricting access to Parameter Store parameters using IAM policies").
 * KMS's attestation and encryption-context keys are left out: no policy here uses them.
 */
type ResourceType = "*" | "Secret" | "parameter" | "parameter path" | "key" | "function";
const SECRET_KEYS = [
  "aws:ResourceTag/${TagKey}",
  "secretsmanager:ResourceTag/tag-key",
  "secretsmanager:SecretId",
  "secretsmanager:SecretPrimaryRegion",
  "secretsmanager:resource/AllowRotationLambdaArn",
  "secretsmanager:resource/Type",
];
const PARAMETER_KEYS = ["aws:ResourceTag/${TagKey}"];
const KMS_KEYS = ["kms:CallerAccount", "kms:RequestAlias", "kms:ViaService", "aws:ResourceTag/${TagKey}", "kms:ResourceAliases", "kms:MultiRegion"];
const REFERENCE: Record<string, { resource: ResourceType; keys: string[] }> = {
  "secretsmanager:BatchGetSecretValue": { resource: "*", keys: [] },
  "secretsmanager:ListSecrets": { resource: "*", keys: [] },
  "secretsmanager:GetRandomPassword": { resource: "*", keys: [] },
  "secretsmanager:GetSecretValue": { resource: "Secret", keys: [...SECRET_KEYS, "secretsmanager:VersionId", "secretsmanager:VersionStage"] },
  "secretsmanager:DescribeSecret": { resource: "Secret", keys: SECRET_KEYS },
  "secretsmanager:ListSecretVersionIds": { resource: "Secret", keys: SECRET_KEYS },
  "secretsmanager:GetResourcePolicy": { resource: "Secret", keys: SECRET_KEYS },
  "secretsmanager:PutSecretValue": { resource: "Secret", keys: SECRET_KEYS },
  "secretsmanager:CreateSecret": {
    resource: "Secret",
    keys: ["aws:RequestTag/${TagKey}", "aws:ResourceTag/${TagKey}", "aws:TagKeys", "secretsmanager:Name", "secretsmanager:Description", "secretsmanager:KmsKeyId", "secretsmanager:AddReplicaRegions"],
  },
  "secretsmanager:TagResource": { resource: "Secret", keys: [...SECRET_KEYS, "aws:RequestTag/${TagKey}", "aws:TagKeys"] },
  "secretsmanager:UntagResource": { resource: "Secret", keys: [...SECRET_KEYS, "aws:TagKeys"] },
  "secretsmanager:UpdateSecret": { resource: "Secret", keys: [...SECRET_KEYS, "secretsmanager:Description", "secretsmanager:KmsKeyId"] },
  "secretsmanager:UpdateSecretVersionStage": { resource: "Secret", keys: [...SECRET_KEYS, "secretsmanager:VersionStage"] },
  "secretsmanager:RotateSecret": { resource: "Secret", keys: [...SECRET_KEYS, "secretsmanager:RotationLambdaARN", "secretsmanager:RotateImmediately"] },
  "secretsmanager:CancelRotateSecret": { resource: "Secret", keys: SECRET_KEYS },
  "secretsmanager:DeleteSecret": { resource: "Secret", keys: [...SECRET_KEYS, "secretsmanager:ForceDeleteWithoutRecovery", "secretsmanager:RecoveryWindowInDays"] },
  "secretsmanager:RestoreSecret": { resource: "Secret", keys: SECRET_KEYS },
  "secretsmanager:PutResourcePolicy": { resource: "Secret", keys: [...SECRET_KEYS, "secretsmanager:BlockPublicPolicy"] },
  "secretsmanager:DeleteResourcePolicy": { resource: "Secret", keys: SECRET_KEYS },
  "secretsmanager:ValidateResourcePolicy": { resource: "Secret", keys: SECRET_KEYS },
  "secretsmanager:ReplicateSecretToRegions": { resource: "Secret", keys: [...SECRET_KEYS, "secretsmanager:AddReplicaRegions"] },
  "secretsmanager:RemoveRegionsFromReplication": { resource: "Secret", keys: SECRET_KEYS },
  "secretsmanager:StopReplicationToReplica": { resource: "Secret", keys: SECRET_KEYS },
  "ssm:DescribeParameters": { resource: "*", keys: [] },
  "ssm:GetParameter": { resource: "parameter", keys: PARAMETER_KEYS },
  "ssm:GetParameters": { resource: "parameter", keys: PARAMETER_KEYS },
  "ssm:GetParameterHistory": { resource: "parameter", keys: PARAMETER_KEYS },
  "ssm:GetParametersByPath": { resource: "parameter path", keys: ["ssm:Recursive"] },
  "ssm:PutParameter": { resource: "parameter", keys: [...PARAMETER_KEYS, "aws:RequestTag/${TagKey}", "aws:TagKeys", "ssm:Overwrite", "ssm:Policies"] },
  "ssm:DeleteParameter": { resource: "parameter", keys: PARAMETER_KEYS },
  "ssm:DeleteParameters": { resource: "parameter", keys: PARAMETER_KEYS },
  "ssm:LabelParameterVersion": { resource: "parameter", keys: PARAMETER_KEYS },
  "ssm:UnlabelParameterVersion": { resource: "parameter", keys: PARAMETER_KEYS },
  "ssm:AddTagsToResource": { resource: "parameter", keys: [...PARAMETER_KEYS, "aws:RequestTag/${TagKey}", "aws:TagKeys"] },
  "ssm:RemoveTagsFromResource": { resource: "parameter", keys: [...PARAMETER_KEYS, "aws:TagKeys"] },
  "ssm:ListTagsForResource": { resource: "parameter", keys: PARAMETER_KEYS },
  "kms:Decrypt": { resource: "key", keys: KMS_KEYS },
  "kms:Encrypt": { resource: "key", keys: KMS_KEYS },
  "kms:GenerateDataKey": { resource: "key", keys: KMS_KEYS },
  "kms:DescribeKey": { resource: "key", keys: KMS_KEYS },
  "lambda:InvokeFunction": { resource: "function", keys: ["aws:ResourceTag/${TagKey}", "lambda:EventSourceToken", "lambda:InvokedViaFunctionUrl"] },
};

/** A resource of each type, for checking the table against the simulator's copy of the reference. */
const SAMPLE_ARNS: Record<Exclude<ResourceType, "*">, string> = {
  Secret: `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:/acme/payments/prod/api/db-password-AbCdEf`,
  parameter: `arn:aws:ssm:eu-west-1:${ACCOUNT}:parameter/acme/payments/prod/edge/tls-bundle`,
  "parameter path": `arn:aws:ssm:eu-west-1:${ACCOUNT}:parameter/acme/payments`,
  key: KEY,
  function: `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:rotate-api-credentials`,
};

/** `aws:ResourceTag/team` is the reference's `aws:ResourceTag/${TagKey}`. */
function referenceKey(key: string): string {
  return key.replace(/^(aws:(?:Resource|Request)Tag)\/.+$/, "$1/${TagKey}");
}

/** Every way a policy statement asks AWS for something it will not honour, per the reference table. */
function referenceProblems(policy: PolicyDocument): string[] {
  const problems: string[] = [];
  for (const statement of policy.Statement) {
    const scoped = statement.NotResource !== undefined || [statement.Resource ?? []].flat().some((resource) => resource !== "*");
    for (const action of statement.Action) {
      const facts = REFERENCE[action];
      if (!facts) {
        problems.push(`${statement.Sid}: ${action} is not in the reference table (add it from the Service Authorization Reference)`);
        continue;
      }
      if (scoped && facts.resource === "*") problems.push(`${statement.Sid}: ${action} has no resource type, so a scoped Resource/NotResource never matches it`);
      if (statement.Effect !== "Allow") continue;
      for (const key of Object.values(statement.Condition ?? {}).flatMap((test) => Object.keys(test))) {
        if (!facts.keys.includes(referenceKey(key))) problems.push(`${statement.Sid}: condition key ${key} does not apply to ${action}`);
        if (facts.resource === "parameter path" && key.startsWith("aws:ResourceTag/")) problems.push(`${statement.Sid}: ${action} is authorized on a path, which has no tags`);
      }
    }
  }
  return problems;
}

interface Request {
  action: string;
  resource: string;
  /** Tags of the resource as it exists; absent for a resource being created, and for a path. */
  resourceTags?: Record<string, string>;
  /** Tags sent with the request (CreateSecret, PutParameter on creation, tagging calls). */
  requestTags?: Record<string, string>;
  context?: Record<string, string | string[]>;
}

type Decision = "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied";

const payments = {
  secret: SAMPLE_ARNS.Secret,
  replica: `arn:aws:secretsmanager:eu-central-1:${ACCOUNT}:secret:/acme/payments/prod/billing/stripe-key-XyZ123`,
  newSecret: `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:/acme/payments/dev/api/new-token-QwErTy`,
  parameter: SAMPLE_ARNS.parameter,
  newParameter: `arn:aws:ssm:eu-west-1:${ACCOUNT}:parameter/acme/payments/dev/api/new-flag`,
  tags: { team: "payments" },
};
const search = {
  secret: `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:/acme/search/dev/indexer/algolia-admin-key-QwErTy`,
  parameter: `arn:aws:ssm:eu-west-1:${ACCOUNT}:parameter/acme/search/dev/indexer/feature-flags`,
  newParameter: `arn:aws:ssm:eu-west-1:${ACCOUNT}:parameter/acme/search/dev/indexer/new-flag`,
  tags: { team: "search" },
};
const outside = `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:legacy/db-password-AbCdEf`;
const path = (name: string) => `arn:aws:ssm:eu-west-1:${ACCOUNT}:parameter${name}`;

describe("access stack: the reference table", () => {
  it("agrees with the IAM simulator's copy of the reference on resource types and condition keys", async () => {
    for (const [action, facts] of Object.entries(REFERENCE)) {
      const resource = facts.resource === "*" ? "*" : SAMPLE_ARNS[facts.resource];
      const context = Object.fromEntries(facts.keys.map((key) => [key.replace("${TagKey}", "team"), "x"]));
      const request = { request: { principal: USER, action, resource: { resource, accountId: ACCOUNT }, contextVariables: context }, identityPolicies: [], serviceControlPolicies: [], resourceControlPolicies: [] };
      const result = await runSimulation(request, {});
      expect(result.resultType, action).toBe("single");
      if (result.resultType === "single") expect(result.result.ignoredContextKeys, action).toEqual([]);
      if (facts.resource === "*") {
        const scoped = await runSimulation({ ...request, request: { ...request.request, resource: { resource: SAMPLE_ARNS.Secret, accountId: ACCOUNT } } }, {});
        expect(scoped.resultType === "error" && scoped.errors.message, action).toBe("must.use.wildcard");
      }
    }
  });

  it("catches a statement that scopes an action which takes only *, and a tag condition on a path", () => {
    const scoped: PolicyDocument = {
      Version: "2012-10-17",
      Statement: [
        { Sid: "Batch", Effect: "Allow", Action: ["secretsmanager:BatchGetSecretValue"], Resource: "arn:aws:secretsmanager:*:*:secret:/acme/payments/*" },
        { Sid: "Deny", Effect: "Deny", Action: ["secretsmanager:BatchGetSecretValue"], NotResource: "arn:aws:secretsmanager:*:*:secret:/acme/*" },
        { Sid: "Path", Effect: "Allow", Action: ["ssm:GetParametersByPath"], Resource: "*", Condition: { StringEquals: { "aws:ResourceTag/team": "payments" } } },
        { Sid: "Create", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: "*", Condition: { StringEquals: { "aws:RequestTag/team": "payments" } } },
      ],
    };
    expect(referenceProblems(scoped)).toEqual([
      "Batch: secretsmanager:BatchGetSecretValue has no resource type, so a scoped Resource/NotResource never matches it",
      "Deny: secretsmanager:BatchGetSecretValue has no resource type, so a scoped Resource/NotResource never matches it",
      "Path: condition key aws:ResourceTag/team does not apply to ssm:GetParametersByPath",
      "Path: ssm:GetParametersByPath is authorized on a path, which has no tags",
      "Create: condition key aws:RequestTag/team does not apply to secretsmanager:GetSecretValue",
    ]);
  });
});

describe("access stack: the synthesized group policies, evaluated", () => {
  let access: TerraformJson;
  let policies: Map<string, PolicyDocument>;
  let keyPolicy: unknown;

  /** The decision for a member of `groups` (e.g. "acme-payments-readers") making `request`, with the context keys AWS would send. */
  async function decide(groups: string[], request: Request): Promise<Decision> {
    const facts = REFERENCE[request.action];
    if (!facts) throw new Error(`${request.action} is not in the reference table`);
    if (request.resourceTags && facts.resource === "parameter path") throw new Error(`${request.action} is authorized on a path, which has no tags`);
    const context = {
      ...Object.fromEntries(Object.entries(request.resourceTags ?? {}).map(([key, value]) => [`aws:ResourceTag/${key}`, value])),
      ...Object.fromEntries(Object.entries(request.requestTags ?? {}).map(([key, value]) => [`aws:RequestTag/${key}`, value])),
      ...(request.requestTags ? { "aws:TagKeys": Object.keys(request.requestTags) } : {}),
      ...request.context,
    };
    for (const key of Object.keys(context)) if (!facts.keys.includes(referenceKey(key))) throw new Error(`${key} does not apply to ${request.action}`);
    const result = await runSimulation(
      {
        request: { principal: USER, action: request.action, resource: { resource: request.resource, accountId: ACCOUNT }, contextVariables: context },
        identityPolicies: groups.map((group) => {
          const policy = policies.get(group);
          if (!policy) throw new Error(`no group ${group}`);
          return { name: group, policy };
        }),
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        // KMS honours IAM policies only where the key policy delegates to the account.
        ...(request.action.startsWith("kms:") ? { resourcePolicy: keyPolicy } : {}),
      },
      {},
    );
    if (result.resultType === "error") throw new Error(`simulation of ${request.action} on ${request.resource} failed: ${JSON.stringify(result.errors)}`);
    if (result.resultType === "single" && result.result.ignoredContextKeys?.length) throw new Error(`the simulator ignored ${result.result.ignoredContextKeys.join(", ")} for ${request.action}`);
    return result.overallResult as Decision;
  }

  /** BatchGetSecretValue as Secrets Manager runs it: the call itself on `*`, then GetSecretValue on each secret, refused ones reported as errors. */
  async function batchGetSecretValue(groups: string[], secrets: { arn: string; tags?: Record<string, string> }[]) {
    if ((await decide(groups, { action: "secretsmanager:BatchGetSecretValue", resource: "*" })) !== "Allowed") return { refused: true, values: [], errors: [] };
    const values: string[] = [];
    const errors: string[] = [];
    for (const secret of secrets) {
      const decision = await decide(groups, { action: "secretsmanager:GetSecretValue", resource: secret.arn, ...(secret.tags ? { resourceTags: secret.tags } : {}) });
      (decision === "Allowed" ? values : errors).push(secret.arn);
    }
    return { refused: false, values, errors };
  }

  beforeAll(() => {
    const stacks = synthesize(exampleConfig());
    access = stacks.access;
    keyPolicy = JSON.parse(String(resources(stacks.state, "aws_kms_key")[0]?.policy));
    const groupNames = new Map(Object.entries(access.resource?.aws_iam_group ?? {}).map(([id, group]) => [`\${aws_iam_group.${id}.name}`, String(group.name)]));
    policies = new Map(resources(access, "aws_iam_group_policy").map((policy) => [groupNames.get(String(policy.group)) ?? "", JSON.parse(String(policy.policy)) as PolicyDocument]));
  });

  it("creates the configured groups for each team", () => {
    expect(resources(access, "aws_iam_group").map((group) => group.name).sort()).toEqual([
      "acme-payments-admins",
      "acme-payments-auditors",
      "acme-payments-readers",
      "acme-payments-writers",
      "acme-search-auditors",
      "acme-search-readers",
      "acme-search-writers",
    ]);
    expect([...policies.keys()].sort()).toHaveLength(7);
  });

  it("fits IAM's quota of 5,120 characters of inline policy per group (whitespace not counted)", () => {
    for (const policy of resources(access, "aws_iam_group_policy")) expect(String(policy.policy).replace(/\s/g, "").length).toBeLessThanOrEqual(5120);
  });

  it("asks for nothing AWS would not honour: actions from the table, unscoped actions on * only, applicable condition keys", () => {
    for (const [group, policy] of policies) expect(referenceProblems(policy), group).toEqual([]);
  });

  // "allow" is Allowed, "deny" an explicit deny, "-" nothing grants it. Columns: readers, writers, admins, auditors of payments (tag conditions on).
  const paymentsMatrix: [string, Request, [string, string, string, string]][] = [
    ["list secret names", { action: "secretsmanager:ListSecrets", resource: "*" }, ["allow", "allow", "allow", "allow"]],
    ["list parameter names", { action: "ssm:DescribeParameters", resource: "*" }, ["allow", "allow", "allow", "allow"]],
    ["read a team secret", { action: "secretsmanager:GetSecretValue", resource: payments.secret, resourceTags: payments.tags }, ["allow", "-", "allow", "deny"]],
    ["read its replica in another region", { action: "secretsmanager:GetSecretValue", resource: payments.replica, resourceTags: payments.tags }, ["allow", "-", "allow", "deny"]],
    ["read a secret under the prefix tagged for another team", { action: "secretsmanager:GetSecretValue", resource: payments.secret, resourceTags: search.tags }, ["-", "-", "-", "deny"]],
    ["read an untagged secret under the prefix", { action: "secretsmanager:GetSecretValue", resource: payments.secret }, ["-", "-", "-", "deny"]],
    ["read another team's secret", { action: "secretsmanager:GetSecretValue", resource: search.secret, resourceTags: search.tags }, ["-", "-", "-", "deny"]],
    ["read a secret outside the organisation", { action: "secretsmanager:GetSecretValue", resource: outside }, ["deny", "deny", "deny", "deny"]],
    ["call BatchGetSecretValue", { action: "secretsmanager:BatchGetSecretValue", resource: "*" }, ["allow", "-", "allow", "deny"]],
    ["describe a team secret", { action: "secretsmanager:DescribeSecret", resource: payments.secret, resourceTags: payments.tags }, ["allow", "allow", "allow", "allow"]],
    ["put a value", { action: "secretsmanager:PutSecretValue", resource: payments.secret, resourceTags: payments.tags }, ["-", "allow", "allow", "-"]],
    ["put a value outside the organisation", { action: "secretsmanager:PutSecretValue", resource: outside }, ["deny", "deny", "deny", "-"]],
    ["create a secret tagged team=payments", { action: "secretsmanager:CreateSecret", resource: payments.newSecret, requestTags: payments.tags }, ["-", "allow", "allow", "-"]],
    ["tag it on creation", { action: "secretsmanager:TagResource", resource: payments.newSecret, requestTags: payments.tags }, ["-", "allow", "allow", "-"]],
    ["create a secret without the team tag", { action: "secretsmanager:CreateSecret", resource: payments.newSecret }, ["-", "-", "-", "-"]],
    ["create a secret tagged for another team", { action: "secretsmanager:CreateSecret", resource: payments.newSecret, requestTags: search.tags }, ["-", "-", "-", "-"]],
    ["rotate a team secret", { action: "secretsmanager:RotateSecret", resource: payments.secret, resourceTags: payments.tags }, ["-", "-", "allow", "-"]],
    ["invoke the team's rotation function, as RotateSecret requires", { action: "lambda:InvokeFunction", resource: SAMPLE_ARNS.function }, ["-", "-", "allow", "-"]],
    ["invoke another function", { action: "lambda:InvokeFunction", resource: `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:rotate-other` }, ["-", "-", "-", "-"]],
    ["delete with a recovery window", { action: "secretsmanager:DeleteSecret", resource: payments.secret, resourceTags: payments.tags, context: { "secretsmanager:RecoveryWindowInDays": "7" } }, ["-", "-", "allow", "-"]],
    ["force-delete", { action: "secretsmanager:DeleteSecret", resource: payments.secret, resourceTags: payments.tags, context: { "secretsmanager:ForceDeleteWithoutRecovery": "true" } }, ["deny", "deny", "allow", "deny"]],
    ["restore a secret pending deletion", { action: "secretsmanager:RestoreSecret", resource: payments.secret, resourceTags: payments.tags }, ["-", "-", "allow", "-"]],
    ["generate a random password", { action: "secretsmanager:GetRandomPassword", resource: "*" }, ["-", "-", "-", "-"]],
    ["read a team parameter", { action: "ssm:GetParameter", resource: payments.parameter, resourceTags: payments.tags }, ["allow", "-", "allow", "deny"]],
    ["read its history", { action: "ssm:GetParameterHistory", resource: payments.parameter, resourceTags: payments.tags }, ["allow", "-", "allow", "deny"]],
    ["read by path the team's path", { action: "ssm:GetParametersByPath", resource: path("/acme/payments"), context: { "ssm:Recursive": "true" } }, ["allow", "-", "allow", "deny"]],
    ["read by path a path below it", { action: "ssm:GetParametersByPath", resource: path("/acme/payments/prod/edge") }, ["allow", "-", "allow", "deny"]],
    ["read by path another team's path", { action: "ssm:GetParametersByPath", resource: path("/acme/search") }, ["-", "-", "-", "deny"]],
    ["read by path a team whose name starts alike", { action: "ssm:GetParametersByPath", resource: path("/acme/paymentsx") }, ["-", "-", "-", "deny"]],
    ["read by path the organisation's root", { action: "ssm:GetParametersByPath", resource: path("/acme") }, ["deny", "deny", "deny", "deny"]],
    ["create a parameter tagged team=payments", { action: "ssm:PutParameter", resource: payments.newParameter, requestTags: payments.tags }, ["-", "allow", "allow", "-"]],
    ["tag it on creation", { action: "ssm:AddTagsToResource", resource: payments.newParameter, requestTags: payments.tags }, ["-", "allow", "allow", "-"]],
    ["create a parameter without the team tag", { action: "ssm:PutParameter", resource: payments.newParameter }, ["-", "-", "-", "-"]],
    ["overwrite a team parameter", { action: "ssm:PutParameter", resource: payments.parameter, resourceTags: payments.tags, context: { "ssm:Overwrite": "true" } }, ["-", "allow", "allow", "-"]],
    ["overwrite a parameter tagged for another team", { action: "ssm:PutParameter", resource: payments.parameter, resourceTags: search.tags, context: { "ssm:Overwrite": "true" } }, ["-", "-", "-", "-"]],
    ["delete a team parameter", { action: "ssm:DeleteParameter", resource: payments.parameter, resourceTags: payments.tags }, ["-", "-", "allow", "-"]],
    ["decrypt through Secrets Manager", { action: "kms:Decrypt", resource: KEY, context: { "kms:ViaService": "secretsmanager.eu-west-1.amazonaws.com", "kms:ResourceAliases": ["alias/acme-secrets"] } }, ["allow", "allow", "allow", "deny"]],
    ["decrypt through SSM in another region", { action: "kms:Decrypt", resource: KEY, context: { "kms:ViaService": "ssm.eu-central-1.amazonaws.com", "kms:ResourceAliases": ["alias/acme-secrets"] } }, ["allow", "allow", "allow", "deny"]],
    ["decrypt directly", { action: "kms:Decrypt", resource: KEY, context: { "kms:ResourceAliases": ["alias/acme-secrets"] } }, ["-", "-", "-", "deny"]],
    ["decrypt with another key", { action: "kms:Decrypt", resource: KEY, context: { "kms:ViaService": "secretsmanager.eu-west-1.amazonaws.com", "kms:ResourceAliases": ["alias/other"] } }, ["-", "-", "-", "deny"]],
    ["encrypt a new value through SSM", { action: "kms:Encrypt", resource: KEY, context: { "kms:ViaService": "ssm.eu-west-1.amazonaws.com", "kms:ResourceAliases": ["alias/acme-secrets"] } }, ["-", "allow", "allow", "-"]],
  ];
  const expected = { allow: "Allowed", deny: "ExplicitlyDenied", "-": "ImplicitlyDenied" } as Record<string, Decision>;

  it.each(paymentsMatrix)("payments (tag conditions): %s", async (_, request, cells) => {
    const roles = ["readers", "writers", "admins", "auditors"];
    const decisions = await Promise.all(roles.map((role) => decide([`acme-payments-${role}`], request)));
    expect(Object.fromEntries(roles.map((role, index) => [role, decisions[index]]))).toEqual(Object.fromEntries(roles.map((role, index) => [role, expected[cells[index] ?? "-"]])));
  });

  it("lets a reader batch-read the team's secrets, with per-secret errors for the others", async () => {
    const asked = [
      { arn: payments.secret, tags: payments.tags },
      { arn: payments.replica, tags: payments.tags },
      { arn: search.secret, tags: search.tags },
      { arn: outside },
    ];
    expect(await batchGetSecretValue(["acme-payments-readers"], asked)).toEqual({ refused: false, values: [payments.secret, payments.replica], errors: [search.secret, outside] });
    expect(await batchGetSecretValue(["acme-search-readers"], asked)).toEqual({ refused: false, values: [search.secret], errors: [payments.secret, payments.replica, outside] });
    expect(await batchGetSecretValue(["acme-payments-admins"], asked)).toMatchObject({ refused: false, values: [payments.secret, payments.replica] });
    expect((await batchGetSecretValue(["acme-payments-auditors", "acme-payments-readers"], asked)).refused).toBe(true);
  });

  it("scopes a team without tag conditions by its prefix alone: creation needs no tag", async () => {
    expect(await decide(["acme-search-writers"], { action: "ssm:PutParameter", resource: search.newParameter })).toBe("Allowed");
    expect(await decide(["acme-search-writers"], { action: "ssm:PutParameter", resource: search.parameter, context: { "ssm:Overwrite": "true" } })).toBe("Allowed");
    expect(await decide(["acme-search-writers"], { action: "ssm:PutParameter", resource: payments.newParameter, requestTags: payments.tags })).toBe("ImplicitlyDenied");
    expect(await decide(["acme-search-readers"], { action: "ssm:GetParametersByPath", resource: path("/acme/search/dev") })).toBe("Allowed");
    expect(await decide(["acme-search-readers"], { action: "ssm:GetParametersByPath", resource: path("/acme/payments") })).toBe("ImplicitlyDenied");
  });

  it("never lets an auditor read a value, even with other groups' grants", async () => {
    const groups = ["acme-payments-auditors", "acme-payments-readers"];
    expect(await decide(groups, { action: "secretsmanager:GetSecretValue", resource: payments.secret, resourceTags: payments.tags })).toBe("ExplicitlyDenied");
    expect(await decide(groups, { action: "ssm:GetParameter", resource: payments.parameter, resourceTags: payments.tags })).toBe("ExplicitlyDenied");
    expect(await decide(groups, { action: "ssm:GetParametersByPath", resource: path("/acme/payments") })).toBe("ExplicitlyDenied");
    expect(await decide(["acme-search-auditors"], { action: "secretsmanager:DescribeSecret", resource: search.secret })).toBe("Allowed");
  });

  it("makes the force-delete deny a guardrail on the person: any non-admin group takes it away, even from an admin", async () => {
    const force = { action: "secretsmanager:DeleteSecret", resource: payments.secret, resourceTags: payments.tags, context: { "secretsmanager:ForceDeleteWithoutRecovery": "true" } };
    expect(await decide(["acme-payments-admins"], force)).toBe("Allowed");
    expect(await decide(["acme-payments-admins", "acme-search-readers"], force)).toBe("ExplicitlyDenied");
    expect(await decide(["acme-payments-admins"], { ...force, resource: search.secret, resourceTags: search.tags })).toBe("ImplicitlyDenied");
  });
});
