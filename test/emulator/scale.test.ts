import { describe, expect, it } from "vitest";
import { SecretsManager } from "../../scripts/local-aws/secrets-manager.ts";
import { ParameterStore } from "../../scripts/local-aws/ssm.ts";

// Other suites migrate 10,000 secrets through the endpoint: the stores serve that many correctly (their speed is in `npm run bench`).
describe("10,000 items", () => {
  const ctx = () => ({ region: "us-east-1", now: Date.now() });

  it("Secrets Manager: create, read by name and ARN, list every page", () => {
    const store = new SecretsManager({ refuseForceDeleteOfScheduled: false });
    const arns: string[] = [];
    for (let i = 0; i < 10_000; i += 1) arns.push((store.handle("CreateSecret", { Name: `/scale/s${i}`, SecretString: `v${i}` }, ctx()) as { ARN: string }).ARN);
    for (let i = 0; i < 10_000; i += 1) store.handle("GetSecretValue", { SecretId: i % 2 ? `/scale/s${i}` : (arns[i] as string) }, ctx());
    let listed = 0;
    let token: string | undefined;
    do {
      const page = store.handle("ListSecrets", { MaxResults: 100, ...(token ? { NextToken: token } : {}) }, ctx()) as { SecretList: unknown[]; NextToken?: string };
      listed += page.SecretList.length;
      token = page.NextToken;
    } while (token);
    expect(listed).toBe(10_000);
  });

  it("SSM: put, read by path in pages of 10", () => {
    const store = new ParameterStore();
    for (let i = 0; i < 10_000; i += 1) store.handle("PutParameter", { Name: `/scale/team${i % 10}/p${i}`, Value: "x", Type: "String" }, ctx());
    let listed = 0;
    let token: string | undefined;
    do {
      const page = store.handle("GetParametersByPath", { Path: "/scale/team3", ...(token ? { NextToken: token } : {}) }, ctx()) as { Parameters: unknown[]; NextToken?: string };
      listed += page.Parameters.length;
      token = page.NextToken;
    } while (token);
    expect(listed).toBe(1_000);
  });
});
