import {
  BatchGetSecretValueCommand,
  CreateSecretCommand,
  DeleteResourcePolicyCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetRandomPasswordCommand,
  GetResourcePolicyCommand,
  GetSecretValueCommand,
  InvalidParameterException,
  InvalidRequestException,
  ListSecretsCommand,
  type ListSecretsCommandOutput,
  ListSecretVersionIdsCommand,
  PutResourcePolicyCommand,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  RestoreSecretCommand,
  SecretsManagerClient,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateSecretCommand,
  UpdateSecretVersionStageCommand,
  ValidateResourcePolicyCommand,
} from "@aws-sdk/client-secrets-manager";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalAws, type LocalAws } from "../../scripts/local-aws/index.ts";

let aws: LocalAws;
let sm: SecretsManagerClient;
let counter = 0;
/** A fresh name per test, so tests do not depend on each other. */
const fresh = (label: string) => `/test/${label}/${++counter}`;
const token = (char: string) => char.repeat(36);

beforeAll(async () => {
  aws = await startLocalAws({ s3: false });
  sm = new SecretsManagerClient({ endpoint: aws.endpoint, region: aws.region, credentials: aws.credentials, maxAttempts: 1 });
});

afterAll(async () => {
  sm.destroy();
  await aws.stop();
});

const create = (name: string, value = "v1", extra: Record<string, unknown> = {}) => sm.send(new CreateSecretCommand({ Name: name, SecretString: value, ...extra }));
const value = (id: string, extra: Record<string, string> = {}) => sm.send(new GetSecretValueCommand({ SecretId: id, ...extra }));

describe("CreateSecret", () => {
  it("returns an ARN with the name, a hyphen and 6 random characters, and a first version", async () => {
    const name = fresh("arn");
    const created = await create(name);
    expect(created.Name).toBe(name);
    expect(created.ARN).toMatch(new RegExp(`^arn:aws:secretsmanager:us-east-1:\\d{12}:secret:${name}-[A-Za-z0-9]{6}$`));
    expect(created.VersionId).toMatch(/^[0-9a-f-]{36}$/);
    const got = await value(name);
    expect(got).toMatchObject({ SecretString: "v1", VersionId: created.VersionId, VersionStages: ["AWSCURRENT"], ARN: created.ARN });
  });

  it("takes the region of the request for the ARN", async () => {
    const other = new SecretsManagerClient({ endpoint: aws.endpoint, region: "eu-west-1", credentials: aws.credentials });
    const created = await other.send(new CreateSecretCommand({ Name: fresh("region"), SecretString: "x" }));
    expect(created.ARN).toMatch(/^arn:aws:secretsmanager:eu-west-1:/);
    other.destroy();
  });

  it("refuses a name that exists, invalid names and both kinds of value", async () => {
    const name = fresh("exists");
    await create(name);
    await expect(create(name)).rejects.toThrow(ResourceExistsException);
    await expect(create("bad name!")).rejects.toThrow(InvalidParameterException);
    await expect(create("x".repeat(513))).rejects.toMatchObject({ name: "ValidationException" });
    await expect(sm.send(new CreateSecretCommand({ Name: fresh("both"), SecretString: "a", SecretBinary: Buffer.from("b") }))).rejects.toThrow(InvalidParameterException);
  });

  it("is idempotent for the same ClientRequestToken and value, and refuses a different value", async () => {
    const name = fresh("create-token");
    const first = await create(name, "same", { ClientRequestToken: token("a") });
    const again = await create(name, "same", { ClientRequestToken: token("a") });
    expect(again).toMatchObject({ ARN: first.ARN, VersionId: token("a") });
    await expect(create(name, "other", { ClientRequestToken: token("a") })).rejects.toThrow(ResourceExistsException);
  });

  it("enforces the 64 KB value limit", async () => {
    await create(fresh("max"), "x".repeat(65_536));
    await expect(create(fresh("big"), "x".repeat(65_537))).rejects.toMatchObject({ name: "ValidationException" });
  });

  it("stores binary values", async () => {
    const name = fresh("binary");
    await sm.send(new CreateSecretCommand({ Name: name, SecretBinary: Buffer.from([0, 1, 2, 255]) }));
    const got = await value(name);
    expect(Buffer.from(got.SecretBinary as Uint8Array)).toEqual(Buffer.from([0, 1, 2, 255]));
    expect(got.SecretString).toBeUndefined();
  });

  it("creates a secret without a value, whose value cannot be read yet", async () => {
    const name = fresh("empty");
    const created = await sm.send(new CreateSecretCommand({ Name: name, Description: "later" }));
    expect(created.VersionId).toBeUndefined();
    await expect(value(name)).rejects.toThrow(ResourceNotFoundException);
  });
});

describe("lookup", () => {
  it("finds a secret by name, full ARN and partial ARN", async () => {
    const name = fresh("lookup");
    const { ARN } = await create(name, "found");
    const partial = (ARN as string).slice(0, -7);
    for (const id of [name, ARN as string, partial]) expect((await value(id)).SecretString).toBe("found");
    await expect(value(`${ARN}x`)).rejects.toThrow(ResourceNotFoundException);
    await expect(value("/no/such/secret")).rejects.toMatchObject({ name: "ResourceNotFoundException", message: "Secrets Manager can't find the specified secret." });
  });
});

describe("PutSecretValue and staging labels", () => {
  it("moves AWSCURRENT to the new version and AWSPREVIOUS to the old current", async () => {
    const name = fresh("stages");
    const v1 = await create(name, "one");
    const v2 = await sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: "two" }));
    expect(v2.VersionStages).toEqual(["AWSCURRENT"]);
    const v3 = await sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: "three" }));
    expect((await value(name)).SecretString).toBe("three");
    expect(await value(name, { VersionStage: "AWSPREVIOUS" })).toMatchObject({ SecretString: "two", VersionId: v2.VersionId });
    expect(await value(name, { VersionId: v1.VersionId as string })).toMatchObject({ SecretString: "one", VersionStages: [] });
    const described = await sm.send(new DescribeSecretCommand({ SecretId: name }));
    expect(described.VersionIdsToStages).toEqual({ [v3.VersionId as string]: ["AWSCURRENT"], [v2.VersionId as string]: ["AWSPREVIOUS"] });
  });

  it("ClientRequestToken: same token and value creates nothing, a different value fails", async () => {
    const name = fresh("put-token");
    await create(name, "one");
    const first = await sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: "two", ClientRequestToken: token("b") }));
    const again = await sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: "two", ClientRequestToken: token("b") }));
    expect(again.VersionId).toBe(first.VersionId);
    expect((await value(name, { VersionStage: "AWSPREVIOUS" })).SecretString).toBe("one");
    const versions = await sm.send(new ListSecretVersionIdsCommand({ SecretId: name, IncludeDeprecated: true }));
    expect(versions.Versions).toHaveLength(2);
    await expect(sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: "changed", ClientRequestToken: token("b") }))).rejects.toThrow(ResourceExistsException);
    await expect(sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: "x", ClientRequestToken: "short" }))).rejects.toMatchObject({ name: "ValidationException" });
  });

  it("VersionStages without AWSCURRENT leaves the current version alone", async () => {
    const name = fresh("custom-stage");
    await create(name, "current");
    const pending = await sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: "pending", VersionStages: ["AWSPENDING"] }));
    expect(pending.VersionStages).toEqual(["AWSPENDING"]);
    expect((await value(name)).SecretString).toBe("current");
    expect((await value(name, { VersionStage: "AWSPENDING" })).SecretString).toBe("pending");
  });

  it("refuses a put without a value, an unknown secret, and the 64 KB limit", async () => {
    const name = fresh("put-errors");
    await create(name);
    await expect(sm.send(new PutSecretValueCommand({ SecretId: name }))).rejects.toThrow(InvalidRequestException);
    await expect(sm.send(new PutSecretValueCommand({ SecretId: fresh("missing"), SecretString: "x" }))).rejects.toThrow(ResourceNotFoundException);
    await expect(sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: "é".repeat(32_769) }))).rejects.toMatchObject({ name: "ValidationException" });
  });

  it("UpdateSecretVersionStage moves labels, and moving AWSCURRENT moves AWSPREVIOUS", async () => {
    const name = fresh("move-stage");
    const v1 = await create(name, "one");
    const v2 = await sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: "two" }));
    await sm.send(new UpdateSecretVersionStageCommand({ SecretId: name, VersionStage: "AWSCURRENT", MoveToVersionId: v1.VersionId, RemoveFromVersionId: v2.VersionId }));
    expect((await value(name)).SecretString).toBe("one");
    expect((await value(name, { VersionStage: "AWSPREVIOUS" })).SecretString).toBe("two");
    await expect(
      sm.send(new UpdateSecretVersionStageCommand({ SecretId: name, VersionStage: "AWSCURRENT", MoveToVersionId: v2.VersionId })),
    ).rejects.toThrow(InvalidParameterException);
    await sm.send(new UpdateSecretVersionStageCommand({ SecretId: name, VersionStage: "MINE", MoveToVersionId: v2.VersionId }));
    expect((await value(name, { VersionStage: "MINE" })).SecretString).toBe("two");
    await sm.send(new UpdateSecretVersionStageCommand({ SecretId: name, VersionStage: "MINE", RemoveFromVersionId: v2.VersionId }));
    await expect(value(name, { VersionStage: "MINE" })).rejects.toThrow(ResourceNotFoundException);
    await expect(
      sm.send(new UpdateSecretVersionStageCommand({ SecretId: name, VersionStage: "X", MoveToVersionId: "0".repeat(36) })),
    ).rejects.toThrow(ResourceNotFoundException);
  });
});

describe("UpdateSecret, DescribeSecret, ListSecretVersionIds", () => {
  it("updates the description and, with a value, adds a current version", async () => {
    const name = fresh("update");
    await create(name, "one", { Description: "first", Tags: [{ Key: "team", Value: "core" }] });
    const noValue = await sm.send(new UpdateSecretCommand({ SecretId: name, Description: "second" }));
    expect(noValue.VersionId).toBeUndefined();
    const withValue = await sm.send(new UpdateSecretCommand({ SecretId: name, SecretString: "two", KmsKeyId: "alias/vaultlift" }));
    expect(withValue.VersionId).toBeDefined();
    const described = await sm.send(new DescribeSecretCommand({ SecretId: name }));
    expect(described).toMatchObject({ Name: name, Description: "second", KmsKeyId: "alias/vaultlift", Tags: [{ Key: "team", Value: "core" }] });
    expect(described.CreatedDate).toBeInstanceOf(Date);
    expect((await value(name)).SecretString).toBe("two");
  });

  it("lists versions with their stages, deprecated ones on request, with paging", async () => {
    const name = fresh("versions");
    await create(name, "0");
    for (let i = 1; i <= 4; i += 1) await sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: String(i) }));
    const labelled = await sm.send(new ListSecretVersionIdsCommand({ SecretId: name }));
    expect(labelled.Versions?.map((v) => v.VersionStages)).toEqual([["AWSPREVIOUS"], ["AWSCURRENT"]]);
    const first = await sm.send(new ListSecretVersionIdsCommand({ SecretId: name, IncludeDeprecated: true, MaxResults: 3 }));
    expect(first.Versions).toHaveLength(3);
    const second = await sm.send(new ListSecretVersionIdsCommand({ SecretId: name, IncludeDeprecated: true, MaxResults: 3, NextToken: first.NextToken }));
    expect(second.Versions).toHaveLength(2);
    expect(second.NextToken).toBeUndefined();
  });
});

describe("ListSecrets", () => {
  it("pages with MaxResults/NextToken and filters on name, tag-key and tag-value", async () => {
    const prefix = fresh("list");
    for (let i = 0; i < 7; i += 1) await create(`${prefix}/s${i}`, "x", { Tags: [{ Key: i % 2 ? "odd" : "even", Value: `v${i}` }] });
    const names: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await sm.send(new ListSecretsCommand({ Filters: [{ Key: "name", Values: [prefix] }], MaxResults: 3, NextToken: nextToken }));
      names.push(...(page.SecretList ?? []).map((s) => s.Name as string));
      nextToken = page.NextToken;
      pages += 1;
    } while (nextToken);
    expect(pages).toBe(3);
    expect(names).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => `${prefix}/s${i}`));
    const odd = await sm.send(new ListSecretsCommand({ Filters: [{ Key: "name", Values: [prefix] }, { Key: "tag-key", Values: ["odd"] }] }));
    expect(odd.SecretList?.map((s) => s.Name)).toEqual([1, 3, 5].map((i) => `${prefix}/s${i}`));
    const byValue = await sm.send(new ListSecretsCommand({ Filters: [{ Key: "tag-value", Values: ["v4", "v6"] }] }));
    expect(byValue.SecretList?.map((s) => s.Name)).toEqual([`${prefix}/s4`, `${prefix}/s6`]);
    const negated = await sm.send(new ListSecretsCommand({ Filters: [{ Key: "name", Values: [prefix] }, { Key: "tag-key", Values: ["!odd"] }] }));
    expect(negated.SecretList).toHaveLength(4);
    expect(odd.SecretList?.[0]?.SecretVersionsToStages).toBeDefined();
    await sm.send(new DeleteSecretCommand({ SecretId: `${prefix}/s5`, ForceDeleteWithoutRecovery: true }));
    const descending: string[] = [];
    nextToken = undefined;
    do {
      const page: ListSecretsCommandOutput = await sm.send(new ListSecretsCommand({ Filters: [{ Key: "name", Values: [prefix] }], SortOrder: "desc", MaxResults: 2, NextToken: nextToken }));
      descending.push(...(page.SecretList ?? []).map((s) => s.Name as string));
      nextToken = page.NextToken;
    } while (nextToken);
    expect(descending).toEqual([6, 4, 3, 2, 1, 0].map((i) => `${prefix}/s${i}`));
  });

  it("hides secrets scheduled for deletion unless IncludePlannedDeletion", async () => {
    const name = fresh("planned");
    await create(name);
    await sm.send(new DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: 7 }));
    const hidden = await sm.send(new ListSecretsCommand({ Filters: [{ Key: "name", Values: [name] }] }));
    expect(hidden.SecretList).toEqual([]);
    const shown = await sm.send(new ListSecretsCommand({ Filters: [{ Key: "name", Values: [name] }], IncludePlannedDeletion: true }));
    expect(shown.SecretList?.[0]?.DeletedDate).toBeInstanceOf(Date);
  });

  it("refuses MaxResults above 100 and a forged NextToken", async () => {
    await expect(sm.send(new ListSecretsCommand({ MaxResults: 101 }))).rejects.toMatchObject({ name: "ValidationException" });
    await expect(sm.send(new ListSecretsCommand({ NextToken: "garbage" }))).rejects.toMatchObject({ name: "InvalidNextTokenException" });
  });
});

describe("BatchGetSecretValue", () => {
  it("returns values for a SecretIdList and Errors for missing ids", async () => {
    const a = fresh("batch");
    const b = fresh("batch");
    await create(a, "A");
    const { ARN } = await create(b, "B");
    const missing = fresh("batch-missing");
    const result = await sm.send(new BatchGetSecretValueCommand({ SecretIdList: [a, ARN as string, missing] }));
    expect(result.SecretValues?.map((s) => s.SecretString)).toEqual(["A", "B"]);
    expect(result.Errors).toEqual([{ SecretId: missing, ErrorCode: "ResourceNotFoundException", Message: "Secrets Manager can't find the specified secret." }]);
  });

  it("takes at most 20 ids, and SecretIdList or Filters but not both", async () => {
    const ids = Array.from({ length: 21 }, (_, i) => `id${i}`);
    await expect(sm.send(new BatchGetSecretValueCommand({ SecretIdList: ids }))).rejects.toMatchObject({ name: "ValidationException" });
    await expect(sm.send(new BatchGetSecretValueCommand({ SecretIdList: ["a"], Filters: [{ Key: "name", Values: ["a"] }] }))).rejects.toThrow(InvalidParameterException);
    await expect(sm.send(new BatchGetSecretValueCommand({}))).rejects.toThrow(InvalidParameterException);
  });

  it("pages through Filters results, 20 at most", async () => {
    const prefix = fresh("batch-filter");
    for (let i = 0; i < 23; i += 1) await create(`${prefix}/${String(i).padStart(2, "0")}`, `value-${i}`);
    const first = await sm.send(new BatchGetSecretValueCommand({ Filters: [{ Key: "name", Values: [prefix] }] }));
    expect(first.SecretValues).toHaveLength(20);
    const second = await sm.send(new BatchGetSecretValueCommand({ Filters: [{ Key: "name", Values: [prefix] }], NextToken: first.NextToken }));
    expect(second.SecretValues?.map((s) => s.SecretString)).toEqual(["value-20", "value-21", "value-22"]);
    expect(second.NextToken).toBeUndefined();
    await expect(sm.send(new BatchGetSecretValueCommand({ Filters: [{ Key: "name", Values: [prefix] }], MaxResults: 21 }))).rejects.toMatchObject({ name: "ValidationException" });
  });
});

describe("DeleteSecret and RestoreSecret", () => {
  it("schedules deletion: value unreadable, name not reusable, restore cancels", async () => {
    const name = fresh("schedule");
    await create(name, "kept");
    const deleted = await sm.send(new DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: 7 }));
    const days = ((deleted.DeletionDate as Date).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThan(7.1);
    await expect(value(name)).rejects.toThrow(InvalidRequestException);
    await expect(sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: "x" }))).rejects.toThrow(InvalidRequestException);
    await expect(create(name)).rejects.toMatchObject({ name: "InvalidRequestException", message: expect.stringContaining("scheduled for deletion") });
    await expect(sm.send(new DeleteSecretCommand({ SecretId: name }))).rejects.toThrow(InvalidRequestException);
    expect((await sm.send(new DescribeSecretCommand({ SecretId: name }))).DeletedDate).toBeInstanceOf(Date);
    await sm.send(new RestoreSecretCommand({ SecretId: name }));
    expect((await value(name)).SecretString).toBe("kept");
    expect((await sm.send(new DescribeSecretCommand({ SecretId: name }))).DeletedDate).toBeUndefined();
  });

  it("defaults the recovery window to 30 days and checks its range", async () => {
    const name = fresh("window");
    await create(name);
    await expect(sm.send(new DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: 6 }))).rejects.toThrow(InvalidParameterException);
    await expect(sm.send(new DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: 31 }))).rejects.toThrow(InvalidParameterException);
    const deleted = await sm.send(new DeleteSecretCommand({ SecretId: name }));
    expect(Math.round(((deleted.DeletionDate as Date).getTime() - Date.now()) / 86_400_000)).toBe(30);
  });

  it("refuses ForceDeleteWithoutRecovery together with RecoveryWindowInDays", async () => {
    const name = fresh("both");
    await create(name);
    await expect(sm.send(new DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: 7, ForceDeleteWithoutRecovery: true }))).rejects.toThrow(InvalidParameterException);
  });

  it("force delete frees the name at once, also for a secret already scheduled (AWS)", async () => {
    const name = fresh("force");
    await create(name, "old");
    await sm.send(new DeleteSecretCommand({ SecretId: name, ForceDeleteWithoutRecovery: true }));
    await expect(sm.send(new DescribeSecretCommand({ SecretId: name }))).rejects.toThrow(ResourceNotFoundException);
    await create(name, "new");
    expect((await value(name)).SecretString).toBe("new");
    await sm.send(new DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: 7 }));
    await sm.send(new DeleteSecretCommand({ SecretId: name, ForceDeleteWithoutRecovery: true }));
    await create(name, "again");
  });

  it("quirk: refuses force delete of a scheduled secret like LocalStack; restore then force works", async () => {
    const name = fresh("quirk");
    await create(name);
    await sm.send(new DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: 7 }));
    aws.quirks.refuseForceDeleteOfScheduled = true;
    try {
      await expect(sm.send(new DeleteSecretCommand({ SecretId: name, ForceDeleteWithoutRecovery: true }))).rejects.toThrow(InvalidRequestException);
      await sm.send(new RestoreSecretCommand({ SecretId: name }));
      await sm.send(new DeleteSecretCommand({ SecretId: name, ForceDeleteWithoutRecovery: true }));
    } finally {
      aws.quirks.refuseForceDeleteOfScheduled = false;
    }
    await expect(sm.send(new DescribeSecretCommand({ SecretId: name }))).rejects.toThrow(ResourceNotFoundException);
  });
});

describe("tags", () => {
  it("TagResource adds and replaces, UntagResource removes", async () => {
    const name = fresh("tags");
    await create(name, "x", { Tags: [{ Key: "a", Value: "1" }] });
    await sm.send(new TagResourceCommand({ SecretId: name, Tags: [{ Key: "a", Value: "2" }, { Key: "b", Value: "3" }] }));
    expect((await sm.send(new DescribeSecretCommand({ SecretId: name }))).Tags).toEqual([{ Key: "a", Value: "2" }, { Key: "b", Value: "3" }]);
    await sm.send(new UntagResourceCommand({ SecretId: name, TagKeys: ["a"] }));
    expect((await sm.send(new DescribeSecretCommand({ SecretId: name }))).Tags).toEqual([{ Key: "b", Value: "3" }]);
    await expect(sm.send(new TagResourceCommand({ SecretId: fresh("none"), Tags: [] }))).rejects.toThrow(ResourceNotFoundException);
  });
});

describe("resource policies", () => {
  const policy = JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "secretsmanager:GetSecretValue", Resource: "*" }],
  });

  it("puts, gets and deletes a policy; refuses malformed and public ones", async () => {
    const name = fresh("policy");
    await create(name);
    expect((await sm.send(new GetResourcePolicyCommand({ SecretId: name }))).ResourcePolicy).toBeUndefined();
    await sm.send(new PutResourcePolicyCommand({ SecretId: name, ResourcePolicy: policy }));
    expect((await sm.send(new GetResourcePolicyCommand({ SecretId: name }))).ResourcePolicy).toBe(policy);
    await sm.send(new DeleteResourcePolicyCommand({ SecretId: name }));
    expect((await sm.send(new GetResourcePolicyCommand({ SecretId: name }))).ResourcePolicy).toBeUndefined();
    await expect(sm.send(new PutResourcePolicyCommand({ SecretId: name, ResourcePolicy: "{not json" }))).rejects.toMatchObject({ name: "MalformedPolicyDocumentException" });
    const open = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "secretsmanager:*", Resource: "*" }] });
    await expect(sm.send(new PutResourcePolicyCommand({ SecretId: name, ResourcePolicy: open, BlockPublicPolicy: true }))).rejects.toMatchObject({ name: "PublicPolicyException" });
    expect((await sm.send(new ValidateResourcePolicyCommand({ ResourcePolicy: policy }))).PolicyValidationPassed).toBe(true);
  });
});

describe("GetRandomPassword", () => {
  it("honours length, exclusions and includes each type by default", async () => {
    const { RandomPassword: plain } = await sm.send(new GetRandomPasswordCommand({}));
    expect(plain).toHaveLength(32);
    for (let i = 0; i < 20; i += 1) {
      const { RandomPassword: password = "" } = await sm.send(new GetRandomPasswordCommand({ PasswordLength: 4, ExcludeCharacters: "abc" }));
      expect(password).toHaveLength(4);
      expect(password).toMatch(/[A-Z]/);
      expect(password).toMatch(/[a-z]/);
      expect(password).toMatch(/[0-9]/);
      expect(password).toMatch(/[^A-Za-z0-9]/);
      expect(password).not.toMatch(/[abc]/);
    }
    const { RandomPassword: digits } = await sm.send(new GetRandomPasswordCommand({ PasswordLength: 50, ExcludeLowercase: true, ExcludeUppercase: true, ExcludePunctuation: true }));
    expect(digits).toMatch(/^[0-9]{50}$/);
    await expect(sm.send(new GetRandomPasswordCommand({ PasswordLength: 4097 }))).rejects.toMatchObject({ name: "ValidationException" });
  });
});
