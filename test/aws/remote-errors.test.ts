/** Remote error text is printed capped, on one line, and without any value the request sent (an endpoint may echo it). */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.ts";

const VALUE = "Echoed-Passw0rd-4471";
let server: http.Server;
let endpoint: string;
let work: string;

beforeAll(async () => {
  // Answers every call with a long validation error that quotes the request body.
  server = http.createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      response.writeHead(400, { "content-type": "application/x-amz-json-1.1" });
      response.end(JSON.stringify({ __type: "ValidationException", message: `1 validation error: request ${body} ${"is not acceptable because ".repeat(100)}\nsecond line` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  work = await mkdtemp(path.join(tmpdir(), "vaultlift-remote-errors-"));
  await writeFile(path.join(work, "vaultlift.yaml"), "org: acme\nregion: us-east-1\nkms: { alias: alias/acme }\nstate: { bucket: acme-state }\nteams: [{ name: payments }]\n");
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(work, { recursive: true, force: true });
});

describe("remote error text", () => {
  it("is one capped line without the value sent", async () => {
    const env = { AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test", AWS_REGION: "us-east-1" };
    const result = await runCli(["secrets", "create", "/acme/payments/dev/app/echo", "--value-stdin", "--endpoint-url", endpoint], { cwd: work, env, input: VALUE, killAfterMs: 25_000 });
    expect(result.code).toBe(3);
    const lines = result.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^vaultlift: AWS ValidationException: 1 validation error: request /);
    expect(lines[0]?.length).toBeLessThan(400);
    expect(result.stderr).not.toContain(VALUE);
    expect(result.stderr).not.toContain("Passw0rd");
  });
});
