import {
  AddTagsToResourceCommand,
  DeleteParameterCommand,
  DeleteParametersCommand,
  DescribeParametersCommand,
  GetParameterCommand,
  GetParameterHistoryCommand,
  GetParametersByPathCommand,
  GetParametersCommand,
  LabelParameterVersionCommand,
  ListTagsForResourceCommand,
  ParameterAlreadyExists,
  ParameterNotFound,
  ParameterVersionNotFound,
  PutParameterCommand,
  RemoveTagsFromResourceCommand,
  SSMClient,
  UnlabelParameterVersionCommand,
  type Parameter,
  type PutParameterCommandInput,
} from "@aws-sdk/client-ssm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalAws, type LocalAws } from "../../scripts/local-aws/index.ts";

let aws: LocalAws;
let ssm: SSMClient;
let counter = 0;
const fresh = (label: string) => `/test/${label}/${++counter}`;

beforeAll(async () => {
  aws = await startLocalAws({ s3: false });
  ssm = new SSMClient({ endpoint: aws.endpoint, region: aws.region, credentials: aws.credentials, maxAttempts: 1 });
});

afterAll(async () => {
  ssm.destroy();
  await aws.stop();
});

const put = (name: string, value: string, extra: Partial<PutParameterCommandInput> = {}) => ssm.send(new PutParameterCommand({ Name: name, Value: value, Type: "String", ...extra }));
const get = (name: string, decrypt = true) => ssm.send(new GetParameterCommand({ Name: name, WithDecryption: decrypt })).then((r) => r.Parameter as Parameter);

describe("PutParameter and GetParameter", () => {
  it("creates version 1, needs Overwrite to replace, and counts versions", async () => {
    const name = fresh("put");
    expect(await put(name, "one")).toMatchObject({ Version: 1, Tier: "Standard" });
    await expect(put(name, "two")).rejects.toThrow(ParameterAlreadyExists);
    expect(await put(name, "two", { Overwrite: true })).toMatchObject({ Version: 2 });
    const parameter = await get(name);
    expect(parameter).toMatchObject({ Name: name, Value: "two", Version: 2, Type: "String", DataType: "text", ARN: `arn:aws:ssm:us-east-1:000000000000:parameter${name}` });
    expect(parameter.LastModifiedDate).toBeInstanceOf(Date);
    await expect(get(fresh("missing"))).rejects.toThrow(ParameterNotFound);
  });

  it("keeps the type on overwrite when none is given, and needs one on create", async () => {
    const name = fresh("type");
    await put(name, "a,b", { Type: "StringList" });
    await ssm.send(new PutParameterCommand({ Name: name, Value: "c,d", Overwrite: true }));
    expect(await get(name)).toMatchObject({ Type: "StringList", Value: "c,d" });
    await expect(ssm.send(new PutParameterCommand({ Name: fresh("untyped"), Value: "x" }))).rejects.toMatchObject({ name: "ValidationException" });
  });

  it("SecureString: ciphertext without WithDecryption, the value with it, KeyId kept", async () => {
    const name = fresh("secure");
    await put(name, "s3cr3t", { Type: "SecureString", KeyId: "alias/vaultlift" });
    expect((await get(name, true)).Value).toBe("s3cr3t");
    const hidden = (await get(name, false)).Value;
    expect(hidden).not.toContain("s3cr3t");
    const described = await ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: "Name", Values: [name] }] }));
    expect(described.Parameters?.[0]).toMatchObject({ Name: name, Type: "SecureString", KeyId: "alias/vaultlift" });
    const defaulted = fresh("secure-default");
    await put(defaulted, "x", { Type: "SecureString" });
    const history = await ssm.send(new GetParameterHistoryCommand({ Name: defaulted }));
    expect(history.Parameters?.[0]?.KeyId).toBe("alias/aws/ssm");
    await expect(put(fresh("key-on-string"), "x", { KeyId: "alias/vaultlift" })).rejects.toMatchObject({ name: "ValidationException" });
  });

  it("applies the name rules: characters, aws/ssm prefix, 15 levels, 1011 characters", async () => {
    await expect(put("/bad name", "x")).rejects.toMatchObject({ name: "ValidationException" });
    await expect(put("/awsThing", "x")).rejects.toMatchObject({ name: "ValidationException", message: expect.stringContaining('"aws" or "ssm"') });
    await expect(put("SSM-param", "x")).rejects.toMatchObject({ name: "ValidationException" });
    await expect(put("a/b", "x")).rejects.toMatchObject({ name: "ValidationException" });
    const deep = `/${Array.from({ length: 16 }, (_, i) => `l${i}`).join("/")}`;
    await expect(put(deep, "x")).rejects.toMatchObject({ name: "HierarchyLevelLimitExceededException" });
    await put(`/${Array.from({ length: 15 }, (_, i) => `l${i}`).join("/")}`, "x");
    await put(`/${"n".repeat(1010)}`, "x");
    await expect(put(`/${"n".repeat(1011)}`, "x")).rejects.toMatchObject({ name: "ValidationException" });
    await put("plain_name.v1-x", "x");
  });

  it("applies the size and tier rules: 4 KB Standard, 8 KB Advanced, no downgrade", async () => {
    const name = fresh("tier");
    await expect(put(name, "x".repeat(4097))).rejects.toMatchObject({ name: "ValidationException", message: expect.stringContaining("advanced-parameter tier") });
    await put(name, "x".repeat(4096));
    expect(await put(name, "x".repeat(8192), { Overwrite: true, Tier: "Advanced" })).toMatchObject({ Tier: "Advanced" });
    await expect(put(name, "x".repeat(8193), { Overwrite: true, Tier: "Advanced" })).rejects.toMatchObject({ name: "ValidationException" });
    await expect(put(name, "small", { Overwrite: true, Tier: "Standard" })).rejects.toMatchObject({ name: "ValidationException", message: expect.stringContaining("downgrade") });
    expect(await put(fresh("intelligent"), "x".repeat(5000), { Tier: "Intelligent-Tiering" })).toMatchObject({ Tier: "Advanced" });
    expect(await put(fresh("intelligent"), "x", { Tier: "Intelligent-Tiering" })).toMatchObject({ Tier: "Standard" });
  });

  it("refuses Tags together with Overwrite, and AllowedPattern mismatches", async () => {
    const name = fresh("tags-overwrite");
    await put(name, "x");
    await expect(put(name, "y", { Overwrite: true, Tags: [{ Key: "a", Value: "b" }] })).rejects.toMatchObject({ name: "ValidationException" });
    await expect(put(fresh("pattern"), "abc", { AllowedPattern: "^\\d+$" })).rejects.toMatchObject({ name: "ParameterPatternMismatchException" });
  });
});

describe("selectors, history and labels", () => {
  it("reads name:version and name:label, and labels move between versions", async () => {
    const name = fresh("selector");
    for (const value of ["v1", "v2", "v3"]) await put(name, value, { Overwrite: true });
    expect(await get(`${name}:1`)).toMatchObject({ Value: "v1", Version: 1, Selector: ":1", Name: name });
    await expect(get(`${name}:9`)).rejects.toThrow(ParameterVersionNotFound);
    const labelled = await ssm.send(new LabelParameterVersionCommand({ Name: name, ParameterVersion: 2, Labels: ["stable", "aws-bad", "9lives"] }));
    expect(labelled).toMatchObject({ ParameterVersion: 2, InvalidLabels: ["aws-bad", "9lives"] });
    expect(await get(`${name}:stable`)).toMatchObject({ Value: "v2", Selector: ":stable" });
    await ssm.send(new LabelParameterVersionCommand({ Name: name, Labels: ["stable"] }));
    expect((await get(`${name}:stable`)).Value).toBe("v3");
    const history = await ssm.send(new GetParameterHistoryCommand({ Name: name }));
    expect(history.Parameters?.map((p) => [p.Version, p.Value, p.Labels])).toEqual([
      [1, "v1", []],
      [2, "v2", []],
      [3, "v3", ["stable"]],
    ]);
    await expect(get(`${name}:nolabel`)).rejects.toThrow(ParameterNotFound);
    const unlabelled = await ssm.send(new UnlabelParameterVersionCommand({ Name: name, ParameterVersion: 3, Labels: ["stable", "other"] }));
    expect(unlabelled).toMatchObject({ RemovedLabels: ["stable"], InvalidLabels: ["other"] });
    await expect(get(`${name}:stable`)).rejects.toThrow(ParameterNotFound);
    await expect(ssm.send(new LabelParameterVersionCommand({ Name: name, ParameterVersion: 7, Labels: ["x"] }))).rejects.toThrow(ParameterVersionNotFound);
  });

  it("keeps 100 versions, dropping the oldest, unless the oldest has a label", async () => {
    const name = fresh("hundred");
    for (let i = 1; i <= 101; i += 1) await put(name, `v${i}`, { Overwrite: i > 1 });
    const first = await ssm.send(new GetParameterHistoryCommand({ Name: name, MaxResults: 50 }));
    expect(first.Parameters?.[0]?.Version).toBe(2);
    let versions = first.Parameters?.length ?? 0;
    let nextToken = first.NextToken;
    while (nextToken) {
      const page = await ssm.send(new GetParameterHistoryCommand({ Name: name, MaxResults: 50, NextToken: nextToken }));
      versions += page.Parameters?.length ?? 0;
      nextToken = page.NextToken;
    }
    expect(versions).toBe(100);
    await ssm.send(new LabelParameterVersionCommand({ Name: name, ParameterVersion: 2, Labels: ["pinned"] }));
    await expect(put(name, "v102", { Overwrite: true })).rejects.toMatchObject({ name: "ParameterMaxVersionLimitExceeded" });
  });
});

describe("GetParameters and GetParametersByPath", () => {
  it("GetParameters returns found ones and InvalidParameters, 10 names at most", async () => {
    const a = fresh("many");
    await put(a, "A");
    const result = await ssm.send(new GetParametersCommand({ Names: [a, `${a}:1`, "/nope/nothing", `${a}:5`] }));
    expect(result.Parameters?.map((p) => p.Value)).toEqual(["A", "A"]);
    expect(result.InvalidParameters).toEqual(["/nope/nothing", `${a}:5`]);
    await expect(ssm.send(new GetParametersCommand({ Names: Array.from({ length: 11 }, (_, i) => `/n${i}`) }))).rejects.toMatchObject({ name: "ValidationException" });
  });

  it("one level or recursive, with paging and filters", async () => {
    const root = fresh("path");
    const names = [`${root}/a`, `${root}/b`, `${root}/sub/c`, `${root}/sub/deeper/d`, `${root}x/not-under`];
    for (const name of names) await put(name, name.slice(root.length), { Type: name.endsWith("b") ? "SecureString" : "String" });
    const oneLevel = await ssm.send(new GetParametersByPathCommand({ Path: root }));
    expect(oneLevel.Parameters?.map((p) => p.Name)).toEqual([`${root}/a`, `${root}/b`]);
    expect(oneLevel.Parameters?.[1]?.Value).not.toBe("/b");
    const all: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await ssm.send(new GetParametersByPathCommand({ Path: `${root}/`, Recursive: true, MaxResults: 3, WithDecryption: true, NextToken: nextToken }));
      all.push(...(page.Parameters ?? []).map((p) => `${p.Name}=${p.Value}`));
      nextToken = page.NextToken;
      pages += 1;
    } while (nextToken);
    expect(pages).toBe(2);
    expect(all).toEqual(names.slice(0, 4).map((name) => `${name}=${name.slice(root.length)}`));
    const secure = await ssm.send(new GetParametersByPathCommand({ Path: root, Recursive: true, ParameterFilters: [{ Key: "Type", Values: ["SecureString"] }] }));
    expect(secure.Parameters?.map((p) => p.Name)).toEqual([`${root}/b`]);
    await expect(ssm.send(new GetParametersByPathCommand({ Path: "no-slash" }))).rejects.toMatchObject({ name: "ValidationException" });
    await expect(ssm.send(new GetParametersByPathCommand({ Path: root, MaxResults: 11 }))).rejects.toMatchObject({ name: "ValidationException" });
  });
});

describe("DescribeParameters", () => {
  it("filters by name prefix, path and tag, with paging", async () => {
    const root = fresh("describe");
    for (let i = 0; i < 12; i += 1) await put(`${root}/p${String(i).padStart(2, "0")}`, "x", { Tags: [{ Key: "team", Value: i % 3 === 0 ? "core" : "web" }] });
    const first = await ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: "Name", Option: "BeginsWith", Values: [root] }] }));
    expect(first.Parameters).toHaveLength(10);
    const second = await ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: "Name", Option: "BeginsWith", Values: [root] }], NextToken: first.NextToken }));
    expect(second.Parameters).toHaveLength(2);
    expect(second.NextToken).toBeUndefined();
    const core = await ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: "Path", Option: "Recursive", Values: [root] }, { Key: "tag:team", Values: ["core"] }] }));
    expect(core.Parameters?.map((p) => p.Name)).toEqual([0, 3, 6, 9].map((i) => `${root}/p0${i}`));
    const legacy = await ssm.send(new DescribeParametersCommand({ Filters: [{ Key: "Name", Values: [`${root}/p1`] }], MaxResults: 50 }));
    expect(legacy.Parameters?.map((p) => p.Name)).toEqual([`${root}/p10`, `${root}/p11`]);
    expect(core.Parameters?.[0]).toMatchObject({ Type: "String", Version: 1, Tier: "Standard", DataType: "text" });
    await expect(ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: "Colour", Values: ["x"] }] }))).rejects.toMatchObject({ name: "InvalidFilterKey" });
    await expect(ssm.send(new DescribeParametersCommand({ NextToken: "forged" }))).rejects.toMatchObject({ name: "InvalidNextToken" });
  });
});

describe("DeleteParameter(s) and tags", () => {
  it("deletes one or many, reporting the missing ones", async () => {
    const a = fresh("delete");
    const b = fresh("delete");
    await put(a, "x");
    await put(b, "x");
    await ssm.send(new DeleteParameterCommand({ Name: a }));
    await expect(ssm.send(new DeleteParameterCommand({ Name: a }))).rejects.toThrow(ParameterNotFound);
    const result = await ssm.send(new DeleteParametersCommand({ Names: [a, b] }));
    expect(result).toMatchObject({ DeletedParameters: [b], InvalidParameters: [a] });
    await put(a, "recreated");
    expect(await get(a)).toMatchObject({ Version: 1, Value: "recreated" });
  });

  it("adds, lists and removes tags", async () => {
    const name = fresh("tagging");
    await put(name, "x", { Tags: [{ Key: "team", Value: "core" }] });
    await ssm.send(new AddTagsToResourceCommand({ ResourceType: "Parameter", ResourceId: name, Tags: [{ Key: "env", Value: "prod" }] }));
    expect((await ssm.send(new ListTagsForResourceCommand({ ResourceType: "Parameter", ResourceId: name }))).TagList).toEqual([
      { Key: "team", Value: "core" },
      { Key: "env", Value: "prod" },
    ]);
    await ssm.send(new RemoveTagsFromResourceCommand({ ResourceType: "Parameter", ResourceId: name, TagKeys: ["team"] }));
    expect((await ssm.send(new ListTagsForResourceCommand({ ResourceType: "Parameter", ResourceId: name }))).TagList).toEqual([{ Key: "env", Value: "prod" }]);
    await expect(ssm.send(new ListTagsForResourceCommand({ ResourceType: "Parameter", ResourceId: fresh("none") }))).rejects.toMatchObject({ name: "InvalidResourceId" });
  });
});
