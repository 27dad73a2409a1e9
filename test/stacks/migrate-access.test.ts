import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ListSecretsCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { DescribeParametersCommand, ListTagsForResourceCommand, SSMClient } from "@aws-sdk/client-ssm";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PolicyDocument } from "../../stacks/access-policies.ts";
import { startLocalAws, type LocalAws } from "../../scripts/local-aws/index.ts";
import { runCli } from "../helpers/run-cli.ts";
import { EXAMPLE_CONFIG, exampleConfig, resources, synthesize } from "./synth.ts";

const ACCOUNT = "123456789012";
const USER = `arn:aws:iam::${ACCOUNT}:user/someone`;

/** What vaultlift created in the emulator, with the tags its creating request carried. */
interface Created {
  store: "secretsmanager" | "ssm";
  name: string;
  tags: Record<string, string>;
}

let aws: LocalAws;
let dir: string;
let policies: Map<string, PolicyDocument>;

beforeAll(async () => {
  const access = synthesize(exampleConfig()).access;
  const groupNames = new Map(Object.entries(access.resource?.aws_iam_group ?? {}).map(([id, group]) => [`\${aws_iam_group.${id}.name}`, String(group.name)]));
  policies = new Map(resources(access, "aws_iam_group_policy").map((policy) => [groupNames.get(String(policy.group)) ?? "", JSON.parse(String(policy.policy)) as PolicyDocument]));
  aws = await startLocalAws({ s3: false });
  dir = mkdtempSync(path.join(tmpdir(), "vaultlift-migrate-access-"));
  writeFileSync(path.join(dir, "vaultlift.yaml"), EXAMPLE_CONFIG);
});

afterAll(async () => {
  await aws?.stop();
});

const cli = (args: string[]) => runCli(["--config", path.join(dir, "vaultlift.yaml"), ...args], { cwd: dir, env: { ...aws.env(), VAULTLIFT_STATE_DIR: path.join(dir, "state") } });

async function created(): Promise<Created[]> {
  const sm = new SecretsManagerClient({ endpoint: aws.endpoint, region: aws.region, credentials: aws.credentials });
  const ssm = new SSMClient({ endpoint: aws.endpoint, region: aws.region, credentials: aws.credentials });
  try {
    const secrets = (await sm.send(new ListSecretsCommand({}))).SecretList ?? [];
    const parameters = (await ssm.send(new DescribeParametersCommand({}))).Parameters ?? [];
    const tagsOf = async (name: string) => (await ssm.send(new ListTagsForResourceCommand({ ResourceType: "Parameter", ResourceId: name }))).TagList ?? [];
    return [
      ...secrets.map((secret) => ({ store: "secretsmanager" as const, name: secret.Name ?? "", tags: Object.fromEntries((secret.Tags ?? []).map((tag) => [tag.Key, tag.Value])) })),
      ...(await Promise.all(parameters.map(async (parameter) => ({ store: "ssm" as const, name: parameter.Name ?? "", tags: Object.fromEntries((await tagsOf(parameter.Name ?? "")).map((tag) => [tag.Key, tag.Value])) })))),
    ];
  } finally {
    sm.destroy();
    ssm.destroy();
  }
}

/** The decision for a member of `group` making one request; tags as AWS puts them in the request context. */
async function decide(group: string, action: string, resource: string, tags: { request?: Record<string, string>; resource?: Record<string, string> }, context: Record<string, string> = {}): Promise<string> {
  const policy = policies.get(group);
  if (!policy) throw new Error(`no group ${group}`);
  const contextVariables = {
    ...Object.fromEntries(Object.entries(tags.resource ?? {}).map(([key, value]) => [`aws:ResourceTag/${key}`, value])),
    ...Object.fromEntries(Object.entries(tags.request ?? {}).map(([key, value]) => [`aws:RequestTag/${key}`, value])),
    ...(tags.request ? { "aws:TagKeys": Object.keys(tags.request) } : {}),
    ...context,
  };
  const result = await runSimulation(
    { request: { principal: USER, action, resource: { resource, accountId: ACCOUNT }, contextVariables }, identityPolicies: [{ name: group, policy }], serviceControlPolicies: [], resourceControlPolicies: [] },
    {},
  );
  if (result.resultType === "error") throw new Error(`simulation of ${action} failed: ${JSON.stringify(result.errors)}`);
  return result.overallResult;
}

/**
 * The requests that create `item` as the stores send them: CreateSecret with its tags (which
 * Secrets Manager also authorizes as TagResource), or PutParameter with its tags (also
 * authorized as AddTagsToResource); then a later value write, authorized on the resource's tags.
 */
function creationRequests(item: Created): { action: string; resource: string; tags: { request?: Record<string, string>; resource?: Record<string, string> }; context?: Record<string, string> }[] {
  if (item.store === "secretsmanager") {
    const arn = `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:${item.name}-AbCdEf`;
    return [
      { action: "secretsmanager:CreateSecret", resource: arn, tags: { request: item.tags } },
      { action: "secretsmanager:TagResource", resource: arn, tags: { request: item.tags } },
      { action: "secretsmanager:PutSecretValue", resource: arn, tags: { resource: item.tags } },
    ];
  }
  const arn = `arn:aws:ssm:eu-west-1:${ACCOUNT}:parameter${item.name}`;
  return [
    { action: "ssm:PutParameter", resource: arn, tags: { request: item.tags } },
    { action: "ssm:AddTagsToResource", resource: arn, tags: { request: item.tags } },
    { action: "ssm:PutParameter", resource: arn, tags: { resource: item.tags }, context: { "ssm:Overwrite": "true" } },
  ];
}

describe("what vaultlift creates, evaluated against the access stack's group policies (payments: tag conditions on)", () => {
  it("migrate, secrets import and secrets create tag every new secret and parameter so the team's writers may create it, and no other team's", async () => {
    const repo = path.join(dir, "billing");
    mkdirSync(repo, { recursive: true });
    writeFileSync(path.join(repo, ".env"), "STRIPE_KEY=sk_live_4eC39HqLyjWDarjtT1zdp7dc\n");
    writeFileSync(path.join(repo, "ssm-prod.py"), "put_ssm_parameter('/billing/deployed/color', 'blue', value_type='String')\n");
    const migrated = await cli(["migrate", repo, "--team", "payments", "--env", "prod", "--app", "billing", "--apply"]);
    expect(migrated.code, migrated.stderr).toBe(0);
    writeFileSync(path.join(dir, "import.env"), "API_TOKEN=imp-tok-8c7d6e5f4a3b\n");
    const imported = await cli(["secrets", "import", path.join(dir, "import.env"), "--prefix", "/acme/payments/dev/api/", "--apply"]);
    expect(imported.code, imported.stderr).toBe(0);
    writeFileSync(path.join(dir, "value.txt"), "hand-made-value-71b2");
    const made = await cli(["secrets", "create", "/acme/payments/dev/api/hand-made", "--file", path.join(dir, "value.txt")]);
    expect(made.code, made.stderr).toBe(0);
    const madeParameter = await cli(["secrets", "create", "/acme/payments/dev/api/hand-param", "--file", path.join(dir, "value.txt"), "--store", "ssm"]);
    expect(madeParameter.code, madeParameter.stderr).toBe(0);

    const items = await created();
    expect(items.map((item) => `${item.store} ${item.name}`).sort()).toEqual([
      "secretsmanager /acme/payments/dev/api/api-token",
      "secretsmanager /acme/payments/dev/api/hand-made",
      "secretsmanager /acme/payments/prod/billing/stripe-key",
      "ssm /acme/payments/dev/api/hand-param",
      "ssm /acme/payments/prod/billing/deployed-color",
    ]);
    for (const item of items) {
      for (const request of creationRequests(item)) {
        const where = `${request.action} ${item.name}`;
        expect(await decide("acme-payments-writers", request.action, request.resource, request.tags, request.context), where).toBe("Allowed");
        expect(await decide("acme-payments-admins", request.action, request.resource, request.tags, request.context), where).toBe("Allowed");
        expect(await decide("acme-search-writers", request.action, request.resource, request.tags, request.context), where).not.toBe("Allowed");
        const otherTeam = { ...(request.tags.request ? { request: { ...request.tags.request, team: "search" } } : {}), ...(request.tags.resource ? { resource: { ...request.tags.resource, team: "search" } } : {}) };
        expect(await decide("acme-payments-writers", request.action, request.resource, otherTeam, request.context), `${where} tagged team=search`).not.toBe("Allowed");
      }
      expect(item.tags, item.name).toMatchObject({ team: "payments", env: item.name.split("/")[3], app: item.name.split("/")[4] });
    }
  });
});
