import { runSimulation } from "@cloud-copilot/iam-simulate";
import { beforeAll, describe, expect, it } from "vitest";
import { exampleConfig, resources, synthesize, type TerraformJson } from "./synth.ts";

const ACCOUNT = "123456789012";
const USER = `arn:aws:iam::${ACCOUNT}:user/someone`;
const KEY = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

const payments = {
  secret: `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:/acme/payments/prod/api/db-password-AbCdEf`,
  replica: `arn:aws:secretsmanager:eu-central-1:${ACCOUNT}:secret:/acme/payments/prod/billing/stripe-key-XyZ123`,
  parameter: `arn:aws:ssm:eu-west-1:${ACCOUNT}:parameter/acme/payments/prod/edge/tls-bundle`,
  tags: { "aws:ResourceTag/team": "payments" },
};
const search = {
  secret: `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:/acme/search/dev/indexer/algolia-admin-key-QwErTy`,
  parameter: `arn:aws:ssm:eu-west-1:${ACCOUNT}:parameter/acme/search/dev/indexer/feature-flags`,
  tags: { "aws:ResourceTag/team": "search" },
};
const outside = `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:legacy/db-password-AbCdEf`;

type Decision = "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied";

describe("access stack: the synthesized group policies, evaluated", () => {
  let access: TerraformJson;
  let policies: Map<string, unknown>;
  let keyPolicy: unknown;

  /** The decision for a member of `groups` (e.g. "acme-payments-readers") doing `action` on `resource`. */
  async function decide(groups: string[], action: string, resource: string, context: Record<string, string | string[]> = {}): Promise<Decision> {
    const result = await runSimulation(
      {
        request: { principal: USER, action, resource: { resource, accountId: ACCOUNT }, contextVariables: context },
        identityPolicies: groups.map((group) => {
          if (!policies.has(group)) throw new Error(`no group ${group}`);
          return { name: group, policy: policies.get(group) };
        }),
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        // KMS honours IAM policies only where the key policy delegates to the account.
        ...(action.startsWith("kms:") ? { resourcePolicy: keyPolicy } : {}),
      },
      {},
    );
    if (result.resultType === "error") throw new Error(`simulation failed: ${JSON.stringify(result.errors)}`);
    return result.overallResult as Decision;
  }

  beforeAll(() => {
    const stacks = synthesize(exampleConfig());
    access = stacks.access;
    keyPolicy = JSON.parse(String(resources(stacks.state, "aws_kms_key")[0]?.policy));
    const groupNames = new Map(Object.entries(access.resource?.aws_iam_group ?? {}).map(([id, group]) => [`\${aws_iam_group.${id}.name}`, String(group.name)]));
    policies = new Map(resources(access, "aws_iam_group_policy").map((policy) => [groupNames.get(String(policy.group)) ?? "", JSON.parse(String(policy.policy))]));
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

  it("lets a reader of team A read A's values, in every region, and not B's", async () => {
    expect(await decide(["acme-payments-readers"], "secretsmanager:GetSecretValue", payments.secret, payments.tags)).toBe("Allowed");
    expect(await decide(["acme-payments-readers"], "secretsmanager:GetSecretValue", payments.replica, payments.tags)).toBe("Allowed");
    expect(await decide(["acme-payments-readers"], "ssm:GetParameter", payments.parameter, payments.tags)).toBe("Allowed");
    expect(await decide(["acme-payments-readers"], "secretsmanager:GetSecretValue", search.secret, search.tags)).not.toBe("Allowed");
    expect(await decide(["acme-payments-readers"], "ssm:GetParameter", search.parameter, search.tags)).not.toBe("Allowed");
    expect(await decide(["acme-search-readers"], "secretsmanager:GetSecretValue", search.secret, search.tags)).toBe("Allowed");
    expect(await decide(["acme-search-readers"], "secretsmanager:GetSecretValue", payments.secret, payments.tags)).not.toBe("Allowed");
  });

  it("requires the team tag where the team asks for tag conditions", async () => {
    expect(await decide(["acme-payments-readers"], "secretsmanager:GetSecretValue", payments.secret, { "aws:ResourceTag/team": "search" })).not.toBe("Allowed");
    expect(await decide(["acme-payments-readers"], "secretsmanager:GetSecretValue", payments.secret)).not.toBe("Allowed");
  });

  it("explicitly denies values outside the organisation's namespace", async () => {
    expect(await decide(["acme-payments-readers"], "secretsmanager:GetSecretValue", outside)).toBe("ExplicitlyDenied");
    expect(await decide(["acme-payments-writers"], "secretsmanager:PutSecretValue", outside)).toBe("ExplicitlyDenied");
  });

  it("never lets an auditor read a value, even with other groups' grants", async () => {
    for (const [groups, target] of [
      [["acme-payments-auditors"], payments],
      [["acme-search-auditors"], search],
      [["acme-payments-auditors", "acme-payments-readers"], payments],
    ] as const) {
      expect(await decide([...groups], "secretsmanager:GetSecretValue", target.secret, target.tags)).toBe("ExplicitlyDenied");
      expect(await decide([...groups], "ssm:GetParameter", target.parameter, target.tags)).toBe("ExplicitlyDenied");
    }
    expect(await decide(["acme-payments-auditors"], "secretsmanager:DescribeSecret", payments.secret, payments.tags)).toBe("Allowed");
    expect(await decide(["acme-payments-auditors"], "secretsmanager:ListSecrets", "*")).toBe("Allowed");
  });

  it("lets a writer put values but not delete", async () => {
    expect(await decide(["acme-payments-writers"], "secretsmanager:PutSecretValue", payments.secret, payments.tags)).toBe("Allowed");
    expect(await decide(["acme-search-writers"], "ssm:PutParameter", search.parameter, search.tags)).toBe("Allowed");
    expect(await decide(["acme-payments-writers"], "secretsmanager:GetSecretValue", payments.secret, payments.tags)).not.toBe("Allowed");
    expect(await decide(["acme-payments-writers"], "secretsmanager:DeleteSecret", payments.secret, { ...payments.tags, "secretsmanager:RecoveryWindowInDays": "7" })).not.toBe("Allowed");
    expect(await decide(["acme-search-writers"], "secretsmanager:DeleteSecret", search.secret, search.tags)).not.toBe("Allowed");
  });

  it("lets nobody but an admin force-delete", async () => {
    const force = { "secretsmanager:ForceDeleteWithoutRecovery": "true" };
    expect(await decide(["acme-payments-admins"], "secretsmanager:DeleteSecret", payments.secret, { ...payments.tags, ...force })).toBe("Allowed");
    expect(await decide(["acme-payments-admins"], "secretsmanager:DeleteSecret", search.secret, { ...search.tags, ...force })).not.toBe("Allowed");
    for (const group of [...policies.keys()].filter((name) => !name.endsWith("-admins"))) {
      const target = group.includes("payments") ? payments : search;
      expect(await decide([group], "secretsmanager:DeleteSecret", target.secret, { ...target.tags, ...force }), group).toBe("ExplicitlyDenied");
    }
    // The deny is a guardrail on the person: any non-admin group takes force-delete away, even from an admin.
    expect(await decide(["acme-payments-admins", "acme-search-readers"], "secretsmanager:DeleteSecret", payments.secret, { ...payments.tags, ...force })).toBe("ExplicitlyDenied");
  });

  it("lets the key decrypt only through Secrets Manager or SSM, and only the secrets key", async () => {
    const viaSecretsManager = { "kms:ViaService": "secretsmanager.eu-west-1.amazonaws.com", "kms:ResourceAliases": ["alias/acme-secrets"] };
    expect(await decide(["acme-payments-readers"], "kms:Decrypt", KEY, viaSecretsManager)).toBe("Allowed");
    expect(await decide(["acme-payments-readers"], "kms:Decrypt", KEY, { ...viaSecretsManager, "kms:ViaService": "ssm.eu-central-1.amazonaws.com" })).toBe("Allowed");
    expect(await decide(["acme-payments-readers"], "kms:Decrypt", KEY, { "kms:ResourceAliases": ["alias/acme-secrets"] })).not.toBe("Allowed");
    expect(await decide(["acme-payments-readers"], "kms:Decrypt", KEY, { ...viaSecretsManager, "kms:ResourceAliases": ["alias/other"] })).not.toBe("Allowed");
    expect(await decide(["acme-payments-auditors"], "kms:Decrypt", KEY, viaSecretsManager)).toBe("ExplicitlyDenied");
  });
});
