import { describe, expect, it } from "vitest";
import { awsOptionsFromEnv, createAwsClients } from "../../scripts/aws/clients.ts";

describe("AWS client factory", () => {
  it("reads AWS_PROFILE, AWS_REGION and AWS_ENDPOINT_URL, and flags win", () => {
    const env = { AWS_PROFILE: "ops", AWS_REGION: "eu-west-1", AWS_ENDPOINT_URL: "http://127.0.0.1:4566" };
    expect(awsOptionsFromEnv({}, env)).toMatchObject({ profile: "ops", region: "eu-west-1", endpoint: "http://127.0.0.1:4566" });
    expect(awsOptionsFromEnv({ region: "us-west-2", endpoint: "http://localhost:1" }, env)).toMatchObject({
      region: "us-west-2",
      endpoint: "http://localhost:1",
    });
    expect(awsOptionsFromEnv({}, { AWS_DEFAULT_REGION: "ap-south-1" }).region).toBe("ap-south-1");
  });

  it("builds every client with the endpoint, region and adaptive retry", async () => {
    const clients = createAwsClients({ region: "eu-west-1", endpoint: "http://127.0.0.1:4566" });
    for (const client of await Promise.all([clients.secretsManager(), clients.ssm(), clients.s3(), clients.kms()])) {
      expect(await client.config.region()).toBe("eu-west-1");
      expect(await client.config.retryStrategy()).toMatchObject({ mode: "adaptive" });
      const endpoint = await client.config.endpoint?.();
      expect(endpoint?.hostname).toBe("127.0.0.1");
    }
    expect((await clients.s3()).config.forcePathStyle).toBe(true);
    expect(await clients.s3()).toBe(await clients.s3());
    clients.destroy();
  });
});
