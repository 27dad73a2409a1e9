/**
 * BatchGetSecretValue is not required: an endpoint that does not know it, or a policy that
 * grants GetSecretValue only, falls back to single reads (said once); an answer that is not
 * JSON is one line naming the endpoint, not `AWS SyntaxError: Unexpected token '<'`.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createAwsClients, type AwsClients } from "../../scripts/aws/clients.ts";
import type { LocalAws } from "../../scripts/local-aws/index.ts";
import { storesFor, type Stores } from "../../scripts/store/index.ts";
import { startLocalStores } from "../helpers/local-stores.ts";
import { runCli } from "../helpers/run-cli.ts";

let aws: LocalAws;
let clients: AwsClients;
let stores: Stores;
let work: string;

beforeAll(async () => {
  ({ aws, clients, stores } = await startLocalStores());
  work = await mkdtemp(path.join(tmpdir(), "vaultlift-batch-get-"));
  await writeFile(path.join(work, "vaultlift.yaml"), "org: acme\nregion: us-east-1\nenvironments: [dev]\nkms: { alias: alias/acme }\nstate: { bucket: acme-state }\nteams: [{ name: payments }]\n");
  await writeFile(path.join(work, ".env"), "DB_PASSWORD=Batch-Get-Passw0rd-1\nAPI_TOKEN=ghp_Q8wZ3kLm9Pz2xY7vB3nR5tW1aC6dE0fG4hJ8\n");
});
afterAll(async () => {
  clients.destroy();
  await aws.stop();
  await rm(work, { recursive: true, force: true });
});
beforeEach(async () => {
  await aws.reset();
});

const migrate = () =>
  runCli(["migrate", ".", "--team", "payments", "--env", "dev", "--app", "api", "--apply"], {
    cwd: work,
    env: { ...aws.env(), VAULTLIFT_STATE_DIR: path.join(work, `state-${Math.random()}`), VAULTLIFT_HASH_KEY: "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=" },
  });

describe("BatchGetSecretValue fallback", () => {
  for (const quirk of ["unknown", "denied"] as const) {
    it(`reads one by one when the endpoint answers ${quirk}, and says so once`, async () => {
      await stores.secretsmanager.write("/acme/fallback/a", "value-a");
      await stores.secretsmanager.write("/acme/fallback/b", "value-b");
      aws.quirks.batchGetSecretValue = quirk;
      const values = await storesFor(createAwsClients({ endpoint: aws.endpoint, region: aws.region })).secretsmanager.readMany(["/acme/fallback/a", "/acme/fallback/b", "/acme/fallback/missing"]);
      expect([...values.entries()].map(([name, value]) => [name, value.value])).toEqual([
        ["/acme/fallback/a", "value-a"],
        ["/acme/fallback/b", "value-b"],
      ]);
    });
  }

  it("migrate --apply works against an endpoint without BatchGetSecretValue and notes it once", async () => {
    aws.quirks.batchGetSecretValue = "unknown";
    const result = await migrate();
    expect(result.stderr).not.toContain("SyntaxError");
    expect(result.code).toBe(0);
    expect(result.stderr.match(/note: BatchGetSecretValue is unknown here/g)).toHaveLength(1);
    expect(aws.counters.get("secretsmanager.BatchGetSecretValue")).toBe(1);
  });

  it("migrate --apply works when BatchGetSecretValue answers an HTML page (an older emulator)", async () => {
    aws.quirks.batchGetSecretValue = "html";
    const result = await migrate();
    expect(result.stderr).not.toContain("SyntaxError");
    expect(result.code).toBe(0);
  });

  it("an answer that is not JSON is one line naming the endpoint", async () => {
    const server = http.createServer((_request, response) => {
      response.writeHead(404, { "content-type": "text/html" });
      response.end("<html><body>Not Found</body></html>");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const result = await runCli(["secrets", "get", "/acme/fallback/x", "--endpoint-url", endpoint], { cwd: work, env: { ...aws.env(), AWS_ENDPOINT_URL: endpoint } });
      expect(result.code).toBe(3);
      expect(result.stderr.trim().split("\n")).toEqual([`vaultlift: ${endpoint} answered GetSecretValue with something that is not an AWS JSON reply (HTTP 404): check --endpoint-url`]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
