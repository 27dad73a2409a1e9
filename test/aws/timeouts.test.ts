/**
 * Every call has a timeout: an endpoint that accepts connections and never answers is a
 * one-line remote error (exit 3), for the CLI and for getSecret(), and a failed read does
 * not block its key. getSecret() caches per identity, not only per profile and region.
 */
import net from "node:net";
import type { AddressInfo } from "node:net";
import { rm } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clearSecretCache, getSecret, VaultliftError } from "../../scripts/index.ts";
import { awsOptionsFromEnv, createAwsClients } from "../../scripts/aws/clients.ts";
import { startLocalAws, type LocalAws } from "../../scripts/local-aws/index.ts";
import { storesFor } from "../../scripts/store/index.ts";
import { LOOPBACK_CREDENTIALS, minimalWorkspace } from "../helpers/loopback.ts";
import { runCli } from "../helpers/run-cli.ts";

let silent: net.Server;
let silentEndpoint: string;
const sockets = new Set<net.Socket>();
let work: string;
let aws: LocalAws;

beforeAll(async () => {
  // Accepts, reads, never answers.
  silent = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("data", () => undefined);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
  silentEndpoint = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
  work = await minimalWorkspace("timeouts");
  aws = await startLocalAws({ s3: false });
});

afterAll(async () => {
  clearSecretCache();
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => silent.close(resolve));
  await aws.stop();
  await rm(work, { recursive: true, force: true });
});

const credentials = LOOPBACK_CREDENTIALS;

describe("timeouts", () => {
  it("defaults to the aws CLI's 60 s connect and read timeouts; flags and VAULTLIFT_*_TIMEOUT change them", () => {
    expect(awsOptionsFromEnv({}, {})).toMatchObject({ connectTimeoutSeconds: 60, readTimeoutSeconds: 60 });
    expect(awsOptionsFromEnv({ readTimeoutSeconds: 5 }, { VAULTLIFT_CONNECT_TIMEOUT: "2", VAULTLIFT_READ_TIMEOUT: "9" })).toMatchObject({ connectTimeoutSeconds: 2, readTimeoutSeconds: 5 });
    expect(() => awsOptionsFromEnv({}, { VAULTLIFT_READ_TIMEOUT: "soon" })).toThrow('VAULTLIFT_READ_TIMEOUT must be a number of seconds (got "soon")');
  });

  it("secrets list against an endpoint that never answers: exit 3, one line naming the endpoint", async () => {
    const started = Date.now();
    const result = await runCli(["secrets", "list", "--endpoint-url", silentEndpoint], { cwd: work, env: { ...credentials, VAULTLIFT_READ_TIMEOUT: "1" }, killAfterMs: 25_000 });
    expect(result.code).toBe(3);
    expect(result.stderr.trim().split("\n")).toEqual([`vaultlift: ${silentEndpoint} did not answer within 1 s (read timeout; --read-timeout or VAULTLIFT_READ_TIMEOUT to change)`]);
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it("getSecret against an endpoint that never answers rejects with a VaultliftError, and the key is not blocked", async () => {
    const options = { endpoint: silentEndpoint, region: "us-east-1", readTimeoutSeconds: 1 };
    process.env.AWS_ACCESS_KEY_ID ??= "test";
    process.env.AWS_SECRET_ACCESS_KEY ??= "test";
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const error = await getSecret("/acme/lib/dev/app/hung", options).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(VaultliftError);
      expect((error as VaultliftError).exitCode).toBe(3);
      expect((error as Error).message).toContain("did not answer within 1 s");
    }
  });
});

describe("getSecret identity", () => {
  it("reads again after the credentials change, instead of serving what the old identity read", async () => {
    const stores = storesFor(createAwsClients({ endpoint: aws.endpoint, region: aws.region }));
    await stores.secretsmanager.write("/acme/lib/dev/app/who", "value-read-as-alice");
    const saved = { ...process.env };
    try {
      Object.assign(process.env, { AWS_ACCESS_KEY_ID: "alice", AWS_SECRET_ACCESS_KEY: "alice-secret" });
      aws.counters.reset();
      await getSecret("/acme/lib/dev/app/who", { endpoint: aws.endpoint, region: aws.region });
      await getSecret("/acme/lib/dev/app/who", { endpoint: aws.endpoint, region: aws.region });
      expect(aws.counters.get("secretsmanager.GetSecretValue")).toBe(1);
      Object.assign(process.env, { AWS_ACCESS_KEY_ID: "bob", AWS_SECRET_ACCESS_KEY: "bob-secret" });
      await getSecret("/acme/lib/dev/app/who", { endpoint: aws.endpoint, region: aws.region });
      expect(aws.counters.get("secretsmanager.GetSecretValue")).toBe(2);
      const provider = async () => ({ accessKeyId: "carol", secretAccessKey: "carol-secret" });
      await getSecret("/acme/lib/dev/app/who", { endpoint: aws.endpoint, region: aws.region, credentials: provider });
      await getSecret("/acme/lib/dev/app/who", { endpoint: aws.endpoint, region: aws.region, credentials: provider });
      expect(aws.counters.get("secretsmanager.GetSecretValue")).toBe(3);
    } finally {
      process.env.AWS_ACCESS_KEY_ID = saved.AWS_ACCESS_KEY_ID;
      process.env.AWS_SECRET_ACCESS_KEY = saved.AWS_SECRET_ACCESS_KEY;
      if (saved.AWS_ACCESS_KEY_ID === undefined) delete process.env.AWS_ACCESS_KEY_ID;
      if (saved.AWS_SECRET_ACCESS_KEY === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
    }
  });
});
