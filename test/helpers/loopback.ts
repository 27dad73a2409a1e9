/** A stand-in AWS endpoint on loopback, for answers the local emulator never gives, and the smallest config that names it. */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

export const MINIMAL_CONFIG = "org: acme\nregion: us-east-1\nkms: { alias: alias/acme }\nstate: { bucket: acme-state }\nteams: [{ name: payments }]\n";

/** Credentials for a loopback endpoint: any work, as nothing checks signatures there. */
export const LOOPBACK_CREDENTIALS = { AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test", AWS_REGION: "us-east-1" };

export interface JsonEndpoint {
  endpoint: string;
  close(): Promise<void>;
}

/** Serves AWS JSON 1.1: `answer` gets the operation (from X-Amz-Target) and the parsed body, and returns the status and reply. */
export async function startJsonEndpoint(answer: (operation: string, input: Record<string, unknown>, body: string) => [number, object]): Promise<JsonEndpoint> {
  const server = http.createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      const operation = String(request.headers["x-amz-target"] ?? "").replace(/^.*\./, "");
      const [status, payload] = answer(operation, body ? (JSON.parse(body) as Record<string, unknown>) : {}, body);
      response.writeHead(status, { "content-type": "application/x-amz-json-1.1" });
      response.end(JSON.stringify(payload));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A temporary folder holding MINIMAL_CONFIG as vaultlift.yaml. */
export function minimalWorkspace(label: string): Promise<string> {
  return workspaceWith(label, MINIMAL_CONFIG);
}

/** A temporary folder holding `config` as vaultlift.yaml. */
export async function workspaceWith(label: string, config: string): Promise<string> {
  const work = await mkdtemp(path.join(tmpdir(), `vaultlift-${label}-`));
  await writeFile(path.join(work, "vaultlift.yaml"), config);
  return work;
}
