/**
 * Writes and deletes stay single when a reply is lost: the emulator applies the request and
 * drops the connection, the real SDK retries, and the store must end with one new version
 * (issue 14: 41 of 60 retried PutParameter calls had 1 version, the rest 2 to 5).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { AwsClients } from "../../scripts/aws/clients.ts";
import type { LocalAws } from "../../scripts/local-aws/index.ts";
import type { Stores } from "../../scripts/store/index.ts";
import { startLocalStores } from "../helpers/local-stores.ts";

let aws: LocalAws;
let clients: AwsClients;
let stores: Stores;

beforeAll(async () => {
  ({ aws, clients, stores } = await startLocalStores({ retryMode: "standard" }));
});
afterAll(async () => {
  clients.destroy();
  await aws.stop();
});
beforeEach(async () => {
  await aws.reset();
});

const versionCount = async (store: keyof Stores, name: string) => (await stores[store].versions(name)).length;

describe("SSM writes under lost replies", () => {
  it("a created parameter whose reply was lost has one version", async () => {
    aws.faults.set({ operations: ["ssm.PutParameter"], sequence: ["lost-reply"] });
    const result = await stores.ssm.write("/acme/lost/ssm/create", "first-value");
    expect(aws.faults.injected()["lost-reply"]).toBe(1);
    expect(result).toEqual({ versionId: "1", created: true });
    expect(await versionCount("ssm", "/acme/lost/ssm/create")).toBe(1);
  });

  it("an overwrite whose reply was lost adds one version", async () => {
    await stores.ssm.write("/acme/lost/ssm/update", "old-value");
    aws.faults.set({ operations: ["ssm.PutParameter"], sequence: ["lost-reply"] });
    const result = await stores.ssm.write("/acme/lost/ssm/update", "new-value", { onlyUpdate: true });
    expect(aws.faults.injected()["lost-reply"]).toBe(1);
    expect(result).toEqual({ versionId: "2", created: false });
    expect(await versionCount("ssm", "/acme/lost/ssm/update")).toBe(2);
    expect((await stores.ssm.read("/acme/lost/ssm/update"))?.value).toBe("new-value");
  });

  it("writing the value a parameter already holds adds no version", async () => {
    await stores.ssm.write("/acme/lost/ssm/same", "same-value");
    await stores.ssm.write("/acme/lost/ssm/same", "same-value");
    await stores.ssm.write("/acme/lost/ssm/same", "same-value", { onlyUpdate: true });
    expect(await versionCount("ssm", "/acme/lost/ssm/same")).toBe(1);
  });

  it("60 parameters written while a third of the replies are lost have one version each", async () => {
    aws.faults.set({ operations: ["ssm.PutParameter"], lostReplyRate: 0.35, seed: 14 });
    const names = Array.from({ length: 60 }, (_, index) => `/acme/lost/ssm/many/p${index}`);
    await Promise.all(names.map((name, index) => stores.ssm.write(name, `value-${index}`)));
    expect(aws.faults.injected()["lost-reply"]).toBeGreaterThan(10);
    const counts = await Promise.all(names.map((name) => versionCount("ssm", name)));
    expect(counts.filter((count) => count !== 1)).toEqual([]);
  });

  it("a delete whose reply was lost succeeds", async () => {
    await stores.ssm.write("/acme/lost/ssm/gone", "v");
    aws.faults.set({ operations: ["ssm.DeleteParameter"], sequence: ["lost-reply"] });
    await stores.ssm.delete("/acme/lost/ssm/gone");
    expect(await stores.ssm.read("/acme/lost/ssm/gone")).toBeUndefined();
  });
});

describe("Secrets Manager writes under lost replies", () => {
  it("a created secret whose reply was lost has one version", async () => {
    aws.faults.set({ operations: ["secretsmanager.CreateSecret"], sequence: ["lost-reply"] });
    const result = await stores.secretsmanager.write("/acme/lost/sm/create", "first-value");
    expect(aws.faults.injected()["lost-reply"]).toBe(1);
    expect(result.created).toBe(true);
    expect(await versionCount("secretsmanager", "/acme/lost/sm/create")).toBe(1);
  });

  it("an update whose reply was lost adds one version, and AWSPREVIOUS keeps the old value", async () => {
    await stores.secretsmanager.write("/acme/lost/sm/update", "old-value");
    aws.faults.set({ operations: ["secretsmanager.PutSecretValue"], sequence: ["lost-reply", "lost-reply"] });
    await stores.secretsmanager.write("/acme/lost/sm/update", "new-value", { onlyUpdate: true });
    expect(aws.faults.injected()["lost-reply"]).toBe(2);
    expect(await versionCount("secretsmanager", "/acme/lost/sm/update")).toBe(2);
    expect((await stores.secretsmanager.read("/acme/lost/sm/update", { stage: "AWSPREVIOUS" }))?.value).toBe("old-value");
  });

  it("deletes whose replies were lost succeed, forced or scheduled", async () => {
    await stores.secretsmanager.write("/acme/lost/sm/forced", "v");
    await stores.secretsmanager.write("/acme/lost/sm/scheduled", "v");
    aws.faults.set({ operations: ["secretsmanager.DeleteSecret"], sequence: ["lost-reply", "lost-reply"] });
    await stores.secretsmanager.delete("/acme/lost/sm/forced", { force: true });
    await stores.secretsmanager.delete("/acme/lost/sm/scheduled", { recoveryDays: 7 });
    expect(aws.faults.injected()["lost-reply"]).toBe(2);
    expect(await stores.secretsmanager.describe("/acme/lost/sm/forced")).toBeUndefined();
    expect((await stores.secretsmanager.describe("/acme/lost/sm/scheduled"))?.deletionDate).toBeInstanceOf(Date);
  });
});
