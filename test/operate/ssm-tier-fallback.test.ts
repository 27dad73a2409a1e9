/**
 * Should AWS apply the account's default tier to an overwrite that names none, an Advanced
 * parameter answers with its downgrade error: `secrets update` then names the tier and the
 * value is written, without downgrading anything. A loopback endpoint plays that AWS.
 */
import { rm } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOOPBACK_CREDENTIALS, minimalWorkspace, startJsonEndpoint, type JsonEndpoint } from "../helpers/loopback.ts";
import { runCli } from "../helpers/run-cli.ts";

const NAME = "/acme/payments/dev/app/bundle";
const DOWNGRADE = "This parameter uses the advanced-parameter tier. You can't downgrade a parameter from the advanced-parameter tier to the standard-parameter tier.";
const puts: { tier?: string; value: string }[] = [];
let server: JsonEndpoint;
let work: string;

beforeAll(async () => {
  let version = 1;
  let value = "old-bundle-value";
  server = await startJsonEndpoint((operation, input) => {
    if (operation === "GetParameter") return [200, { Parameter: { Name: NAME, Type: "SecureString", Value: value, Version: version } }];
    if (operation !== "PutParameter") return [400, { __type: "InvalidAction", message: `not served here: ${operation}` }];
    puts.push({ value: String(input.Value), ...(input.Tier ? { tier: String(input.Tier) } : {}) });
    if (input.Tier !== "Advanced") return [400, { __type: "ValidationException", message: DOWNGRADE }];
    value = String(input.Value);
    version += 1;
    return [200, { Version: version, Tier: "Advanced" }];
  });
  work = await minimalWorkspace("tier");
});

afterAll(async () => {
  await server.close();
  await rm(work, { recursive: true, force: true });
});

describe("secrets update of an Advanced parameter", () => {
  it("retries with Tier Advanced when the overwrite without a tier is refused as a downgrade", async () => {
    const result = await runCli(["secrets", "update", NAME, "--store", "ssm", "--value-stdin", "--endpoint-url", server.endpoint], { cwd: work, env: LOOPBACK_CREDENTIALS, input: "new-bundle-value", killAfterMs: 25_000 });
    expect(result.code, result.stderr).toBe(0);
    expect(puts).toEqual([{ value: "new-bundle-value" }, { value: "new-bundle-value", tier: "Advanced" }]);
  });
});
