/**
 * The local AWS endpoint for tests and the demo: Secrets Manager and SSM Parameter Store
 * emulated in memory (AWS JSON 1.1, routed by `X-Amz-Target`), and S3 served by s3rver
 * behind the same address (every request without `X-Amz-Target`, path style), with
 * object versioning added in front of it (s3-versions.ts).
 *
 *   const aws = await startLocalAws();
 *   const sm = new SecretsManagerClient({ endpoint: aws.endpoint, region: aws.region, credentials: aws.credentials });
 *   ...
 *   expect(aws.counters.get("secretsmanager.GetSecretValue")).toBe(1);
 *   await aws.stop();
 *
 * Counters: every HTTP request that reaches the server is counted once under its
 * operation name ("secretsmanager.GetSecretValue", "ssm.PutParameter", "s3.GetObject"),
 * before fault injection, so throttled, failed and dropped attempts count too and an SDK
 * retry shows up as a second call. Faults (`faults.set`) apply to the operations named in
 * `operations`, or to all; `faults.injected()` reports what was injected since the last
 * `set`, per kind ("throttle") and per kind and operation ("throttle:ssm.PutParameter").
 * Throttles answer 400 ThrottlingException (S3: 503 SlowDown); errors answer 500
 * InternalServiceError (SSM: InternalServerError; S3: InternalError). A lost reply
 * (`lostReplyRate`, or `"lost-reply"` in `sequence`) applies a Secrets Manager or SSM request and then closes
 * the connection without answering, as when a reply is lost on the way back (S3: a drop).
 *
 * Known differences from AWS: signatures are not checked (any credentials work); one
 * store serves every region (an ARN carries the region of the creating request); KMS key
 * ids are recorded, never checked; recovery windows expire by the wall clock; S3
 * multipart uploads create no object versions; a PutParameter overwrite that names no tier
 * keeps the parameter's tier (AWS documents the default tier for new parameters only; the
 * SSM store retries with Advanced should AWS answer with its downgrade error).
 */
import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { CallCounters } from "./counters.ts";
import { FaultInjector, type FaultConfig, type FaultKind } from "./faults.ts";
import { AwsError, type Input, type RequestContext } from "./protocol.ts";
import { s3ErrorXml, s3Operation, startS3 } from "./s3.ts";
import { SecretsManager } from "./secrets-manager.ts";
import { ParameterStore } from "./ssm.ts";

export type { FaultConfig } from "./faults.ts";

export interface LocalAws {
  /** "http://127.0.0.1:PORT": SM, SSM and S3 all answer here. */
  endpoint: string;
  /** "us-east-1" */
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** Environment for spawning the vaultlift CLI or aws CLI against it (AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION, AWS_DEFAULT_REGION). */
  env(): Record<string, string>;
  /** Operation names like "secretsmanager.GetSecretValue", "ssm.PutParameter", "s3.GetObject". */
  counters: { get(operation: string): number; total(prefix?: string): number; writes(): number; byOperation(): Record<string, number>; reset(): void };
  faults: { set(config: FaultConfig): void; clear(): void; injected(): Record<string, number> };
  /** Emulate endpoints that refuse ForceDeleteWithoutRecovery on a secret already scheduled for deletion (LocalStack-like); default false = AWS behaviour (allowed). */
  /**
   * `batchGetSecretValue`: answer BatchGetSecretValue like an older emulator (`unknown`:
   * UnknownOperationException; `html`: a 404 page, not JSON) or an IAM policy without
   * secretsmanager:BatchGetSecretValue (`denied`: AccessDeniedException); default `ok`.
   * `wholeSecondTimes`: ListSecretVersionIds dates in whole seconds, so quick versions tie.
   */
  quirks: { refuseForceDeleteOfScheduled: boolean; batchGetSecretValue: "ok" | "unknown" | "denied" | "html"; wholeSecondTimes?: boolean };
  /** The in-memory stores, for assertions that would cost API calls (not counted). */
  stores: { secretsManager: SecretsManager; ssm: ParameterStore };
  /** The s3rver port behind the endpoint, when S3 is on. */
  s3Port?: number;
  /** Empties every store (secrets, parameters, buckets), zeroes the counters and clears faults and quirks. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export interface LocalAwsOptions {
  /** Default: a free port. */
  port?: number;
  /** Default true: start s3rver behind the endpoint. */
  s3?: boolean;
  faults?: FaultConfig;
  /** Default 127.0.0.1. */
  host?: string;
}

const REGION = "us-east-1";
const CREDENTIALS = { accessKeyId: "test", secretAccessKey: "test" };
const JSON_CONTENT_TYPE = "application/x-amz-json-1.1";

export async function startLocalAws(options: LocalAwsOptions = {}): Promise<LocalAws> {
  const counters = new CallCounters();
  const faults = new FaultInjector(options.faults);
  const quirks: LocalAws["quirks"] = { refuseForceDeleteOfScheduled: false, batchGetSecretValue: "ok" };
  const secretsManager = new SecretsManager(quirks);
  const ssm = new ParameterStore();
  const s3 = options.s3 === false ? undefined : await startS3();

  const answerJson = (operation: string, body: Buffer, region: string): { status: number; payload: unknown } => {
    const [service, name = ""] = operation.split(".", 2);
    let input: Input;
    try {
      const parsed: unknown = body.length === 0 ? {} : JSON.parse(body.toString("utf8"));
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error("not an object");
      input = parsed as Input;
    } catch {
      throw new AwsError("SerializationException", "The request body is not a JSON object.");
    }
    const ctx: RequestContext = { region, now: Date.now() };
    if (service === "secretsmanager") return { status: 200, payload: secretsManager.handle(name, input, ctx) };
    if (service === "ssm") return { status: 200, payload: ssm.handle(name, input, ctx) };
    throw new AwsError("UnknownOperationException", `The local endpoint does not serve ${operation}`);
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const target = req.headers["x-amz-target"];
    const operation = typeof target === "string" ? jsonOperation(target) : s3Operation(req.method ?? "GET", req.url ?? "/", req.headers);
    counters.add(operation);
    const decision = faults.decide(operation);
    if (decision.latencyMs > 0) await sleep(decision.latencyMs);
    if (decision.kind === "drop" || (decision.kind === "lost-reply" && typeof target !== "string")) {
      req.socket.destroy();
      return;
    }
    if (typeof target !== "string") {
      if (decision.kind && decision.kind !== "lost-reply") return sendS3Fault(res, decision.kind);
      if (!s3) return sendS3Error(res, 501, "NotImplemented", "S3 is off on this local endpoint (startLocalAws({ s3: false })).");
      await s3.handle(req, res);
      return;
    }
    const body = await readBody(req);
    if (decision.kind === "lost-reply") {
      try {
        answerJson(operation, body, regionOf(req));
      } catch {
        // An error reply is lost the same way.
      }
      req.socket.destroy();
      return;
    }
    if (decision.kind) return sendJsonFault(res, decision.kind, operation);
    if (operation === "secretsmanager.BatchGetSecretValue" && quirks.batchGetSecretValue !== "ok") return sendBatchGetQuirk(res, quirks.batchGetSecretValue);
    try {
      const { status, payload } = answerJson(operation, body, regionOf(req));
      sendJson(res, status, payload);
    } catch (error) {
      if (error instanceof AwsError) sendJson(res, error.status, { __type: error.type, message: error.message }, error.type);
      else sendJson(res, 500, { __type: "InternalServiceError", message: (error as Error).message }, "InternalServiceError");
    }
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { __type: "InternalServiceError", message: String(error) }, "InternalServiceError");
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 60_000;
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://${host}:${port}`;

  return {
    endpoint,
    region: REGION,
    credentials: { ...CREDENTIALS },
    env: () => ({
      AWS_ENDPOINT_URL: endpoint,
      AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
      AWS_REGION: REGION,
      AWS_DEFAULT_REGION: REGION,
    }),
    counters: {
      get: (operation) => counters.get(operation),
      total: (prefix) => counters.total(prefix),
      writes: () => counters.writes(),
      byOperation: () => counters.byOperation(),
      reset: () => counters.reset(),
    },
    faults: {
      set: (config) => faults.set(config),
      clear: () => faults.clear(),
      injected: () => faults.injected(),
    },
    quirks,
    stores: { secretsManager, ssm },
    ...(s3 ? { s3Port: s3.port } : {}),
    async reset() {
      secretsManager.clear();
      ssm.clear();
      counters.reset();
      faults.set({});
      quirks.refuseForceDeleteOfScheduled = false;
      quirks.batchGetSecretValue = "ok";
      quirks.wholeSecondTimes = false;
      s3?.reset();
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await s3?.stop();
    },
  };
}

/** "secretsmanager.GetSecretValue" stays; "AmazonSSM.PutParameter" becomes "ssm.PutParameter". */
function jsonOperation(target: string): string {
  const [prefix = "", name = ""] = target.split(".", 2);
  if (prefix === "AmazonSSM") return `ssm.${name}`;
  if (prefix === "secretsmanager") return `secretsmanager.${name}`;
  return `${prefix}.${name}`;
}

/** The region of the SigV4 credential scope, e.g. "Credential=AKID/20260101/eu-west-1/ssm/aws4_request". */
function regionOf(req: http.IncomingMessage): string {
  const match = /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(req.headers.authorization ?? "");
  return match?.[1] ?? REGION;
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function sendJson(res: http.ServerResponse, status: number, payload: unknown, errorType?: string): void {
  const body = JSON.stringify(payload);
  res.writeHead(status, {
    "content-type": JSON_CONTENT_TYPE,
    "content-length": Buffer.byteLength(body),
    "x-amzn-requestid": randomUUID(),
    ...(errorType ? { "x-amzn-errortype": errorType } : {}),
  });
  res.end(body);
}

/** Each service's own name for a 500: InternalServiceError (Secrets Manager), InternalServerError (SSM). */
function sendJsonFault(res: http.ServerResponse, kind: Exclude<FaultKind, "drop">, operation: string): void {
  if (kind === "throttle") {
    sendJson(res, 400, { __type: "ThrottlingException", message: "Rate exceeded" }, "ThrottlingException");
    return;
  }
  const type = operation.startsWith("ssm.") ? "InternalServerError" : "InternalServiceError";
  sendJson(res, 500, { __type: type, message: "An error occurred on the server side (injected fault)." }, type);
}

function sendBatchGetQuirk(res: http.ServerResponse, quirk: "unknown" | "denied" | "html"): void {
  if (quirk === "unknown") return sendJson(res, 400, { __type: "UnknownOperationException", message: "Unknown operation BatchGetSecretValue" }, "UnknownOperationException");
  if (quirk === "denied") {
    const message = "User: arn:aws:iam::000000000000:user/test is not authorized to perform: secretsmanager:BatchGetSecretValue";
    return sendJson(res, 400, { __type: "AccessDeniedException", message }, "AccessDeniedException");
  }
  const body = "<!DOCTYPE html><html><body><h1>404 Not Found</h1></body></html>";
  res.writeHead(404, { "content-type": "text/html", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

function sendS3Error(res: http.ServerResponse, status: number, code: string, message: string): void {
  const body = s3ErrorXml(code, message);
  res.writeHead(status, { "content-type": "application/xml", "content-length": Buffer.byteLength(body), "x-amz-request-id": randomUUID(), connection: "close" });
  res.end(body);
}

function sendS3Fault(res: http.ServerResponse, kind: Exclude<FaultKind, "drop">): void {
  if (kind === "throttle") sendS3Error(res, 503, "SlowDown", "Please reduce your request rate.");
  else sendS3Error(res, 500, "InternalError", "We encountered an internal error. Please try again.");
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
