import { CreateSecretCommand, GetSecretValueCommand, PutSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { GetParameterCommand, PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createAwsClients } from "../../scripts/aws/clients.ts";
import { FaultInjector } from "../../scripts/local-aws/faults.ts";
import { startLocalAws, type LocalAws } from "../../scripts/local-aws/index.ts";

let aws: LocalAws;
let counter = 0;
const fresh = (label: string) => `/faults/${label}/${++counter}`;

beforeAll(async () => {
  aws = await startLocalAws({ s3: false });
});

afterEach(() => {
  aws.faults.clear();
  aws.counters.reset();
});

afterAll(async () => {
  await aws.stop();
});

const client = (maxAttempts: number, retryMode: "standard" | "adaptive" = "standard") =>
  new SecretsManagerClient({ endpoint: aws.endpoint, region: aws.region, credentials: aws.credentials, maxAttempts, retryMode });

describe("throttling", () => {
  it("the SDK's retries recover from throttling, and the counters show every attempt", async () => {
    const sm = client(10);
    const name = fresh("throttle");
    await sm.send(new CreateSecretCommand({ Name: name, SecretString: "v" }));
    aws.counters.reset();
    aws.faults.set({ throttleRate: 0.4, operations: ["secretsmanager.GetSecretValue"], seed: 7 });
    let attempts = 0;
    for (let i = 0; i < 6; i += 1) {
      const result = await sm.send(new GetSecretValueCommand({ SecretId: name }));
      expect(result.SecretString).toBe("v");
      attempts += result.$metadata.attempts ?? 1;
    }
    const throttled = aws.faults.injected().throttle ?? 0;
    expect(throttled).toBeGreaterThan(0);
    expect(aws.faults.injected()["throttle:secretsmanager.GetSecretValue"]).toBe(throttled);
    expect(aws.counters.get("secretsmanager.GetSecretValue")).toBe(6 + throttled);
    expect(attempts).toBe(6 + throttled);
    sm.destroy();
  });

  it("a throttle is a ThrottlingException with status 400 when retries run out", async () => {
    const sm = client(1);
    aws.faults.set({ throttleRate: 1 });
    await expect(sm.send(new GetSecretValueCommand({ SecretId: "anything" }))).rejects.toMatchObject({
      name: "ThrottlingException",
      $metadata: { httpStatusCode: 400 },
    });
    expect(aws.counters.get("secretsmanager.GetSecretValue")).toBe(1);
    sm.destroy();
  });

  it("throttles one operation above a rate per second; the product's adaptive clients still finish", async () => {
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    process.env.AWS_ACCESS_KEY_ID = aws.credentials.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = aws.credentials.secretAccessKey;
    const clients = createAwsClients({ endpoint: aws.endpoint, region: aws.region });
    aws.faults.set({ throttleAboveTps: 10, operations: ["ssm.PutParameter"] });
    const root = fresh("tps");
    const ssm = await clients.ssm();
    await Promise.all(Array.from({ length: 14 }, (_, i) => ssm.send(new PutParameterCommand({ Name: `${root}/p${i}`, Value: String(i), Type: "String" }))));
    const throttled = aws.faults.injected().throttle ?? 0;
    expect(throttled).toBeGreaterThan(0);
    expect(aws.counters.get("ssm.PutParameter")).toBe(14 + throttled);
    expect(aws.stores.ssm.size).toBeGreaterThanOrEqual(14);
    const read = await (await clients.ssm()).send(new GetParameterCommand({ Name: `${root}/p13` }));
    expect(read.Parameter?.Value).toBe("13");
    clients.destroy();
    for (const [key, value] of [["AWS_ACCESS_KEY_ID", saved.id], ["AWS_SECRET_ACCESS_KEY", saved.secret]] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });
});

describe("server errors, dropped connections, latency", () => {
  it("500 InternalServiceError is retried", async () => {
    const sm = client(10);
    aws.faults.set({ errorRate: 0.5, seed: 3, operations: ["secretsmanager.CreateSecret"] });
    const name = fresh("error");
    const created = await sm.send(new CreateSecretCommand({ Name: name, SecretString: "v" }));
    expect(created.Name).toBe(name);
    const errors = aws.faults.injected().error ?? 0;
    expect(aws.counters.get("secretsmanager.CreateSecret")).toBe(1 + errors);
    aws.faults.set({ errorRate: 1 });
    await expect(client(1).send(new GetSecretValueCommand({ SecretId: name }))).rejects.toMatchObject({ name: "InternalServiceError", $metadata: { httpStatusCode: 500 } });
    const ssm = new SSMClient({ endpoint: aws.endpoint, region: aws.region, credentials: aws.credentials, maxAttempts: 1 });
    await expect(ssm.send(new GetParameterCommand({ Name: "/any" }))).rejects.toMatchObject({ name: "InternalServerError", $metadata: { httpStatusCode: 500 } });
    ssm.destroy();
    sm.destroy();
  });

  it("a dropped connection is retried, and an idempotent write still writes once", async () => {
    const sm = client(10);
    const name = fresh("drop");
    await sm.send(new CreateSecretCommand({ Name: name, SecretString: "v1" }));
    aws.faults.set({ dropRate: 0.5, seed: 2, operations: ["secretsmanager.PutSecretValue"] });
    const token = "d".repeat(36);
    for (let i = 0; i < 4; i += 1) await sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: "v2", ClientRequestToken: token }));
    expect(aws.faults.injected().drop ?? 0).toBeGreaterThan(0);
    aws.faults.clear();
    const current = await sm.send(new GetSecretValueCommand({ SecretId: name }));
    expect(current).toMatchObject({ SecretString: "v2", VersionId: token });
    const previous = await sm.send(new GetSecretValueCommand({ SecretId: name, VersionStage: "AWSPREVIOUS" }));
    expect(previous.SecretString).toBe("v1");
    sm.destroy();
  });

  it("adds latency to matching operations only", async () => {
    const ssm = new SSMClient({ endpoint: aws.endpoint, region: aws.region, credentials: aws.credentials });
    const name = fresh("latency");
    await ssm.send(new PutParameterCommand({ Name: name, Value: "x", Type: "String" }));
    aws.faults.set({ latencyMs: 150, operations: ["ssm.GetParameter"] });
    const started = Date.now();
    await ssm.send(new GetParameterCommand({ Name: name }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(145);
    await ssm.send(new PutParameterCommand({ Name: name, Value: "y", Type: "String", Overwrite: true }));
    // What was delayed, from the injector: a wall-clock upper bound fails on a loaded machine.
    expect(aws.faults.injected()).toEqual({ latency: 1, "latency:ssm.GetParameter": 1 });
    ssm.destroy();
  });

  it("the same seed injects the same faults; rates are checked", () => {
    const decisions = (seed: number) => {
      const injector = new FaultInjector({ throttleRate: 0.3, errorRate: 0.1, dropRate: 0.1, seed });
      return Array.from({ length: 50 }, () => injector.decide("ssm.GetParameter").kind ?? "-").join(",");
    };
    expect(decisions(99)).toBe(decisions(99));
    expect(decisions(99)).not.toBe(decisions(100));
    expect(() => aws.faults.set({ throttleRate: 2 })).toThrow(RangeError);
  });
});
