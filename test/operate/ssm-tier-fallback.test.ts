/**
 * Should AWS apply the account's default tier to an overwrite that names none, an Advanced
 * parameter answers with its downgrade error: `secrets update` then names the tier and the
 * value is written, without downgrading anything. A loopback endpoint plays that AWS.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.ts";

const NAME = "/acme/payments/dev/app/bundle";
const puts: { tier?: string; value: string }[] = [];
let server: http.Server;
let endpoint: string;
let work: string;

beforeAll(async () => {
  let version = 1;
  let value = "old-bundle-value";
  server = http.createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      const input = JSON.parse(body) as { Value?: string; Tier?: string };
      const target = String(request.headers["x-amz-target"] ?? "");
      const answer = (status: number, payload: object) => {
        response.writeHead(status, { "content-type": "application/x-amz-json-1.1" });
        response.end(JSON.stringify(payload));
      };
      if (target.endsWith(".GetParameter")) return answer(200, { Parameter: { Name: NAME, Type: "SecureString", Value: value, Version: version } });
      if (target.endsWith(".PutParameter")) {
        puts.push({ value: input.Value ?? "", ...(input.Tier ? { tier: input.Tier } : {}) });
        if (input.Tier !== "Advanced") {
          return answer(400, { __type: "ValidationException", message: "This parameter uses the advanced-parameter tier. You can't downgrade a parameter from the advanced-parameter tier to the standard-parameter tier." });
        }
        value = input.Value ?? "";
        version += 1;
        return answer(200, { Version: version, Tier: "Advanced" });
      }
      return answer(400, { __type: "InvalidAction", message: `not served here: ${target}` });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  work = await mkdtemp(path.join(tmpdir(), "vaultlift-tier-"));
  await writeFile(path.join(work, "vaultlift.yaml"), "org: acme\nregion: us-east-1\nkms: { alias: alias/acme }\nstate: { bucket: acme-state }\nteams: [{ name: payments }]\n");
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(work, { recursive: true, force: true });
});

describe("secrets update of an Advanced parameter", () => {
  it("retries with Tier Advanced when the overwrite without a tier is refused as a downgrade", async () => {
    const env = { AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test", AWS_REGION: "us-east-1" };
    const result = await runCli(["secrets", "update", NAME, "--store", "ssm", "--value-stdin", "--endpoint-url", endpoint], { cwd: work, env, input: "new-bundle-value", killAfterMs: 25_000 });
    expect(result.code, result.stderr).toBe(0);
    expect(puts).toEqual([{ value: "new-bundle-value" }, { value: "new-bundle-value", tier: "Advanced" }]);
  });
});
