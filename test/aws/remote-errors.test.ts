/** Remote error text is printed capped, on one line, and without any value the request sent (an endpoint may echo it). */
import { rm } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOOPBACK_CREDENTIALS, minimalWorkspace, startJsonEndpoint, type JsonEndpoint } from "../helpers/loopback.ts";
import { runCli } from "../helpers/run-cli.ts";

const VALUE = "Echoed-Passw0rd-4471";
let server: JsonEndpoint;
let work: string;

beforeAll(async () => {
  // Answers every call with a long validation error that quotes the request body.
  server = await startJsonEndpoint((_operation, _input, body) => [400, { __type: "ValidationException", message: `1 validation error: request ${body} ${"is not acceptable because ".repeat(100)}\nsecond line` }]);
  work = await minimalWorkspace("remote-errors");
});

afterAll(async () => {
  await server.close();
  await rm(work, { recursive: true, force: true });
});

describe("remote error text", () => {
  it("is one capped line without the value sent", async () => {
    const result = await runCli(["secrets", "create", "/acme/payments/dev/app/echo", "--value-stdin", "--endpoint-url", server.endpoint], { cwd: work, env: LOOPBACK_CREDENTIALS, input: VALUE, killAfterMs: 25_000 });
    expect(result.code).toBe(3);
    const lines = result.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^vaultlift: AWS ValidationException: 1 validation error: request /);
    expect(lines[0]?.length).toBeLessThan(400);
    expect(result.stderr).not.toContain(VALUE);
    expect(result.stderr).not.toContain("Passw0rd");
  });
});
