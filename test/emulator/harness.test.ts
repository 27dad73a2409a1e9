import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { GetSecretValueCommand, ListSecretsCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { DescribeParametersCommand, SSMClient } from "@aws-sdk/client-ssm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalAws, type LocalAws } from "../../scripts/local-aws/index.ts";
import { BIN } from "../helpers/run-cli.ts";

let aws: LocalAws;

beforeAll(async () => {
  aws = await startLocalAws({ s3: false });
});

afterAll(async () => {
  await aws.stop();
});

const post = (target: string, body: string) =>
  fetch(aws.endpoint, { method: "POST", headers: { "x-amz-target": target, "content-type": "application/x-amz-json-1.1" }, body });

describe("startLocalAws", () => {
  it("listens on a loopback port and describes itself", () => {
    expect(aws.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(aws.region).toBe("us-east-1");
    expect(aws.env()).toEqual({
      AWS_ENDPOINT_URL: aws.endpoint,
      AWS_ACCESS_KEY_ID: aws.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: aws.credentials.secretAccessKey,
      AWS_REGION: "us-east-1",
      AWS_DEFAULT_REGION: "us-east-1",
    });
  });

  it("counts calls per operation, by prefix, and resets", async () => {
    aws.counters.reset();
    const sm = new SecretsManagerClient({ endpoint: aws.endpoint, region: aws.region, credentials: aws.credentials });
    const ssm = new SSMClient({ endpoint: aws.endpoint, region: aws.region, credentials: aws.credentials });
    await sm.send(new ListSecretsCommand({}));
    await sm.send(new ListSecretsCommand({}));
    await expect(sm.send(new GetSecretValueCommand({ SecretId: "missing" }))).rejects.toThrow();
    await ssm.send(new DescribeParametersCommand({}));
    expect(aws.counters.get("secretsmanager.ListSecrets")).toBe(2);
    expect(aws.counters.get("secretsmanager.GetSecretValue")).toBe(1);
    expect(aws.counters.total("secretsmanager.")).toBe(3);
    expect(aws.counters.total("ssm.")).toBe(1);
    expect(aws.counters.total()).toBe(4);
    expect(aws.counters.byOperation()).toEqual({ "secretsmanager.GetSecretValue": 1, "secretsmanager.ListSecrets": 2, "ssm.DescribeParameters": 1 });
    aws.counters.reset();
    expect(aws.counters.total()).toBe(0);
    sm.destroy();
    ssm.destroy();
  });

  it("answers unknown operations, bad JSON and S3 when it is off with proper errors", async () => {
    const unknown = await post("secretsmanager.RotateSecret", "{}");
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ __type: "UnknownOperationException" });
    const badJson = await post("AmazonSSM.GetParameter", "{nope");
    expect(badJson.status).toBe(400);
    expect(await badJson.json()).toMatchObject({ __type: "SerializationException" });
    const s3 = await fetch(`${aws.endpoint}/bucket`);
    expect(s3.status).toBe(501);
  });

  it("reset() empties every store, S3 included, and zeroes the counters", async () => {
    const local = await startLocalAws();
    const call = (target: string, body: object) =>
      fetch(local.endpoint, { method: "POST", headers: { "x-amz-target": target }, body: JSON.stringify(body) }).then((r) => r.json() as Promise<Record<string, unknown>>);
    await call("secretsmanager.CreateSecret", { Name: "/reset/a", SecretString: "x" });
    await call("AmazonSSM.PutParameter", { Name: "/reset/p", Value: "x", Type: "String" });
    expect((await fetch(`${local.endpoint}/reset-bucket`, { method: "PUT" })).status).toBe(200);
    local.quirks.refuseForceDeleteOfScheduled = true;
    await local.reset();
    expect(local.stores.secretsManager.size).toBe(0);
    expect(local.stores.ssm.size).toBe(0);
    expect(local.counters.total()).toBe(0);
    expect(local.quirks.refuseForceDeleteOfScheduled).toBe(false);
    expect((await fetch(`${local.endpoint}/reset-bucket`)).status).toBe(404);
    expect(await call("secretsmanager.ListSecrets", {})).toEqual({ SecretList: [] });
    await local.stop();
  });

  it("takes a fixed port, and stop() frees it", async () => {
    const port = await freePort();
    const fixed = await startLocalAws({ port, s3: false });
    expect(fixed.endpoint).toBe(`http://127.0.0.1:${port}`);
    await fixed.stop();
    const again = await startLocalAws({ port, s3: false });
    await again.stop();
  });
});

describe("vaultlift local-aws", () => {
  it("runs in the foreground, prints the endpoint and the env, and stops on SIGINT", async () => {
    // Port 0: the endpoint picks a free port and prints it; a port chosen here first could be taken by another process before the child binds it.
    const child = spawn(process.execPath, [BIN, "local-aws", "--port", "0", "--no-s3"], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    await waitFor(() => output.includes("Ctrl-C"), 15_000);
    const port = /export AWS_ENDPOINT_URL=http:\/\/127\.0\.0\.1:(\d+)\n/.exec(output)?.[1];
    expect(Number(port)).toBeGreaterThan(0);
    expect(output).toContain(`http://127.0.0.1:${port}`);
    const answer = await fetch(`http://127.0.0.1:${port}`, { method: "POST", headers: { "x-amz-target": "secretsmanager.ListSecrets" }, body: "{}" });
    expect(await answer.json()).toEqual({ SecretList: [] });
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    child.kill("SIGINT");
    expect(await exited).toBe(0);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
