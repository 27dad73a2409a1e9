import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { VaultliftError } from "../../core/errors.ts";
import { createAwsClients, type AwsClients } from "../../scripts/aws/clients.ts";
import { listAll, locate, readAnywhere, storesFor, type Stores } from "../../scripts/store/index.ts";
import type { SecretStore } from "../../scripts/store/types.ts";
import { startLocalAws, type LocalAws } from "../../scripts/local-aws/index.ts";

let aws: LocalAws;
let clients: AwsClients;
let stores: Stores;

beforeAll(async () => {
  aws = await startLocalAws({ s3: false });
  clients = createAwsClients({ endpoint: aws.endpoint, region: aws.region, maxAttempts: 1 });
  stores = storesFor(clients);
  process.env.AWS_ACCESS_KEY_ID = aws.credentials.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = aws.credentials.secretAccessKey;
});
afterAll(async () => {
  clients.destroy();
  await aws.stop();
});
beforeEach(() => aws.counters.reset());

async function rejection(promise: Promise<unknown>): Promise<VaultliftError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(VaultliftError);
  return error as VaultliftError;
}

describe.each(["secretsmanager", "ssm"] as const)("%s store", (kind) => {
  const store = (): SecretStore => stores[kind];
  const prefix = `/acme/stores/${kind}`;

  it("creates, then puts a new version; reads current and previous", async () => {
    const first = await store().write(`${prefix}/a`, "one");
    const second = await store().write(`${prefix}/a`, "two");
    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect((await store().read(`${prefix}/a`))?.value).toBe("two");
    expect((await store().read(`${prefix}/a`, { back: 1 }))?.value).toBe("one");
    expect((await store().read(`${prefix}/a`, { stage: "AWSPREVIOUS" }))?.value).toBe("one");
    const versions = await store().versions(`${prefix}/a`);
    expect(versions.map((v) => v.id)).toEqual([second.versionId, first.versionId]);
  });

  it("reads many with batched calls and leaves missing names out", async () => {
    const names = Array.from({ length: 25 }, (_, i) => `${prefix}/batch/s${String(i).padStart(2, "0")}`);
    for (const name of names) await store().write(name, `value of ${name}`);
    aws.counters.reset();
    const values = await store().readMany([...names, `${prefix}/batch/missing`]);
    expect(values.size).toBe(25);
    expect(values.get(names[7] as string)?.value).toBe(`value of ${names[7]}`);
    const op = kind === "secretsmanager" ? "secretsmanager.BatchGetSecretValue" : "ssm.GetParameters";
    expect(aws.counters.get(op)).toBe(kind === "secretsmanager" ? 2 : 3);
    expect(aws.counters.total()).toBe(aws.counters.get(op));
  });

  it("lists a prefix with paging and only true prefixes", async () => {
    const listed = await listAll([store()], { prefix: `${prefix}/batch/` });
    expect(listed.map((s) => s.name)).toHaveLength(25);
    expect(listed.every((s) => s.store === kind)).toBe(true);
  });

  it("refuses bad names and oversized values before any call", async () => {
    const big = "x".repeat(kind === "secretsmanager" ? 65_537 : 8_193);
    expect((await rejection(store().write(`${prefix}/big`, big))).message).toMatch(/bytes;.*at most/);
    const badName = kind === "secretsmanager" ? `${prefix}/has space` : "/aws/reserved";
    expect((await rejection(store().write(badName, "v"))).exitCode).toBe(2);
    expect((await rejection(store().write(`${prefix}/empty`, ""))).message).toMatch(/empty/);
    expect(aws.counters.total()).toBe(0);
  });

  it("create-only refuses an existing name", async () => {
    await store().write(`${prefix}/once`, "v");
    const error = await rejection(store().write(`${prefix}/once`, "w", { onlyCreate: true }));
    expect(error.message).toMatch(/already exists/);
    expect((await store().read(`${prefix}/once`))?.value).toBe("v");
  });

  it("describes, and reports a missing name as undefined", async () => {
    await store().write(`${prefix}/described`, "v", { description: "d" });
    expect(await store().describe(`${prefix}/described`)).toMatchObject({ name: `${prefix}/described`, store: kind, description: "d" });
    expect(await store().describe(`${prefix}/nothing`)).toBeUndefined();
    expect(await store().read(`${prefix}/nothing`)).toBeUndefined();
  });
});

describe("Secrets Manager specifics", () => {
  const sm = () => stores.secretsmanager;

  it("a retry with the same client request token creates no second version", async () => {
    const token = "a".repeat(8) + "-0000-4000-8000-" + "b".repeat(12);
    const first = await sm().write("/acme/stores/token/a", "v1", { clientRequestToken: token });
    const retry = await sm().write("/acme/stores/token/a", "v1", { clientRequestToken: token });
    expect(retry.versionId).toBe(first.versionId);
    expect(await sm().versions("/acme/stores/token/a")).toHaveLength(1);
    const token2 = "c".repeat(36);
    const put = await sm().write("/acme/stores/token/a", "v2", { clientRequestToken: token2 });
    const putRetry = await sm().write("/acme/stores/token/a", "v2", { clientRequestToken: token2 });
    expect(putRetry.versionId).toBe(put.versionId);
    expect(await sm().versions("/acme/stores/token/a")).toHaveLength(2);
  });

  it("onlyUpdate puts with one call", async () => {
    await sm().write("/acme/stores/update/a", "v1");
    aws.counters.reset();
    await sm().write("/acme/stores/update/a", "v2", { onlyUpdate: true });
    expect(aws.counters.byOperation()).toEqual({ "secretsmanager.PutSecretValue": 1 });
  });

  it("reads N versions back by version id, and by creation order", async () => {
    const ids = [];
    for (const value of ["v1", "v2", "v3", "v4"]) ids.push((await sm().write("/acme/stores/back/a", value)).versionId);
    expect((await sm().read("/acme/stores/back/a", { back: 3 }))?.value).toBe("v1");
    expect((await sm().read("/acme/stores/back/a", { back: 2 }))?.value).toBe("v2");
    expect((await sm().read("/acme/stores/back/a", { versionId: ids[1] }))?.value).toBe("v2");
    expect(await sm().read("/acme/stores/back/a", { back: 9 })).toBeUndefined();
  });

  it("delete schedules, a read then says to restore, restore brings it back", async () => {
    await sm().write("/acme/stores/deleted/a", "v");
    await sm().delete("/acme/stores/deleted/a", { recoveryDays: 7 });
    expect((await sm().describe("/acme/stores/deleted/a"))?.deletionDate).toBeInstanceOf(Date);
    const error = await rejection(sm().read("/acme/stores/deleted/a"));
    expect(error.message).toBe('secret "/acme/stores/deleted/a" is scheduled for deletion: run `vaultlift secrets restore /acme/stores/deleted/a` first');
    const listed = await listAll([sm()], { prefix: "/acme/stores/deleted/" });
    expect(listed).toHaveLength(0);
    expect(await listAll([sm()], { prefix: "/acme/stores/deleted/", includeDeleted: true })).toHaveLength(1);
    await sm().restore("/acme/stores/deleted/a");
    expect((await sm().read("/acme/stores/deleted/a"))?.value).toBe("v");
  });

  it("refuses a recovery window outside 7-30 days, and both options at once", async () => {
    expect((await rejection(sm().delete("/acme/stores/x", { recoveryDays: 3 }))).message).toMatch(/7 to 30/);
    expect((await rejection(sm().delete("/acme/stores/x", { recoveryDays: 7, force: true }))).exitCode).toBe(2);
    expect(aws.counters.total()).toBe(0);
  });

  it("force-deletes a scheduled secret, restoring first where the endpoint refuses", async () => {
    for (const refuse of [false, true]) {
      const name = `/acme/stores/force/${refuse}`;
      aws.quirks.refuseForceDeleteOfScheduled = refuse;
      await sm().write(name, "v");
      await sm().delete(name);
      await sm().delete(name, { force: true });
      expect(await sm().describe(name)).toBeUndefined();
      expect((await sm().write(name, "again")).created).toBe(true);
    }
    aws.quirks.refuseForceDeleteOfScheduled = false;
  });
});

describe("SSM specifics", () => {
  const ssm = () => stores.ssm;

  it("writes SecureString with the KMS key, Standard up to 4 KB, Advanced above", async () => {
    await ssm().write("/acme/stores/tier/small", "x".repeat(4096), { kmsKeyId: "alias/acme" });
    await ssm().write("/acme/stores/tier/large", "x".repeat(4097));
    const [small, large] = await Promise.all([ssm().describe("/acme/stores/tier/small"), ssm().describe("/acme/stores/tier/large")]);
    expect(small).toMatchObject({ type: "SecureString", tier: "Standard" });
    expect(large).toMatchObject({ type: "SecureString", tier: "Advanced" });
  });

  it("reads by version number and label", async () => {
    await ssm().write("/acme/stores/ssmv/a", "one");
    await ssm().write("/acme/stores/ssmv/a", "two");
    expect((await ssm().read("/acme/stores/ssmv/a", { version: 1 }))?.value).toBe("one");
    expect((await ssm().read("/acme/stores/ssmv/a", { versionId: "2" }))?.value).toBe("two");
    expect(await ssm().read("/acme/stores/ssmv/a", { back: 2 })).toBeUndefined();
  });

  it("deletes many with one DeleteParameters call per 10 names", async () => {
    const names = Array.from({ length: 12 }, (_, i) => `/acme/stores/many/p${i}`);
    for (const name of names) await ssm().write(name, "v");
    aws.counters.reset();
    const result = await ssm().deleteMany?.(names);
    expect(result?.deleted.sort()).toEqual([...names].sort());
    expect(aws.counters.byOperation()).toEqual({ "ssm.DeleteParameters": 2 });
  });

  it("has nothing to restore", async () => {
    expect((await rejection(ssm().restore("/acme/stores/ssmv/a"))).message).toMatch(/nothing to restore/);
  });
});

describe("finding a name in either store", () => {
  it("reads Secrets Manager with one call, SSM with two", async () => {
    await stores.secretsmanager.write("/acme/stores/where/sm", "in sm");
    await stores.ssm.write("/acme/stores/where/ssm", "in ssm");
    aws.counters.reset();
    expect((await readAnywhere(stores, "/acme/stores/where/sm")).value).toBe("in sm");
    expect(aws.counters.total()).toBe(1);
    aws.counters.reset();
    expect((await readAnywhere(stores, "/acme/stores/where/ssm")).store).toBe("ssm");
    expect(aws.counters.byOperation()).toEqual({ "secretsmanager.GetSecretValue": 1, "ssm.GetParameter": 1 });
    expect((await locate(stores, "/acme/stores/where/ssm")).store.kind).toBe("ssm");
  });

  it("says not found, or which version is missing", async () => {
    expect((await rejection(readAnywhere(stores, "/acme/stores/where/none"))).message).toBe('secret "/acme/stores/where/none" not found');
    const error = await rejection(readAnywhere(stores, "/acme/stores/where/sm", { stage: "AWSPREVIOUS" }));
    expect(error.message).toBe('secret "/acme/stores/where/sm" has no version AWSPREVIOUS');
  });
});
