import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { clearSecretCache, getSecret, VaultliftError } from "../../scripts/index.ts";
import { createAwsClients, type AwsClients } from "../../scripts/aws/clients.ts";
import { storesFor, type Stores } from "../../scripts/store/index.ts";
import { startLocalAws, type LocalAws } from "../../scripts/local-aws/index.ts";

let aws: LocalAws;
let clients: AwsClients;
let stores: Stores;
let at: { endpoint: string; region: string };

beforeAll(async () => {
  aws = await startLocalAws({ s3: false });
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" });
  at = { endpoint: aws.endpoint, region: aws.region };
  clients = createAwsClients(at);
  stores = storesFor(clients);
  await stores.secretsmanager.write("/acme/lib/dev/app/db", JSON.stringify({ user: "app", password: "pw-1" }));
  await stores.ssm.write("/acme/lib/dev/app/flag", "on");
});
afterAll(async () => {
  clients.destroy();
  await aws.stop();
});
beforeEach(() => aws.counters.reset());
afterEach(() => clearSecretCache());


describe("getSecret", () => {
  it("serves repeated reads from memory: one API call, fields from the same cached value", async () => {
    expect(await getSecret("/acme/lib/dev/app/db", at)).toBe('{"user":"app","password":"pw-1"}');
    expect(await getSecret("/acme/lib/dev/app/db", { ...at, field: "password" })).toBe("pw-1");
    expect(await getSecret("/acme/lib/dev/app/db", { ...at, field: "user" })).toBe("app");
    expect(aws.counters.byOperation()).toEqual({ "secretsmanager.GetSecretValue": 1 });
  });

  it("shares one request among concurrent callers", async () => {
    const values = await Promise.all(Array.from({ length: 10 }, () => getSecret("/acme/lib/dev/app/db", { ...at, field: "password" })));
    expect(new Set(values)).toEqual(new Set(["pw-1"]));
    expect(aws.counters.total()).toBe(1);
  });

  it("refreshes after the TTL", async () => {
    // The clock moves only when the test says: on a loaded machine the calls in between could outlast a real TTL.
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      expect(await getSecret("/acme/lib/dev/app/db", { ...at, field: "password", ttlSeconds: 0.2 })).toBe("pw-1");
      await stores.secretsmanager.write("/acme/lib/dev/app/db", JSON.stringify({ user: "app", password: "pw-2" }));
      aws.counters.reset();
      vi.setSystemTime(Date.now() + 199);
      expect(await getSecret("/acme/lib/dev/app/db", { ...at, field: "password", ttlSeconds: 0.2 })).toBe("pw-1");
      expect(aws.counters.total()).toBe(0);
      vi.setSystemTime(Date.now() + 2);
      expect(await getSecret("/acme/lib/dev/app/db", { ...at, field: "password", ttlSeconds: 0.2 })).toBe("pw-2");
      expect(aws.counters.total()).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it("finds SSM parameters, and takes the region and endpoint from the environment", async () => {
    const saved = { ...process.env };
    Object.assign(process.env, aws.env());
    try {
      expect(await getSecret("/acme/lib/dev/app/flag")).toBe("on");
      expect(await getSecret("/acme/lib/dev/app/flag", { store: "ssm" })).toBe("on");
    } finally {
      for (const key of Object.keys(aws.env())) {
        if (saved[key] === undefined) delete process.env[key];
        else process.env[key] = saved[key];
      }
    }
  });

  it("throws one-line errors and does not cache them", async () => {
    const error = await getSecret("/acme/lib/dev/app/missing", at).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(VaultliftError);
    expect((error as Error).message).toBe('secret "/acme/lib/dev/app/missing" not found');
    await stores.secretsmanager.write("/acme/lib/dev/app/missing", "now here");
    expect(await getSecret("/acme/lib/dev/app/missing", at)).toBe("now here");
  });
});
