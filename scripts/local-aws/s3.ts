/**
 * S3 for vault-bucket tests: s3rver on its own loopback port with a temporary directory,
 * reached through the one local endpoint, with object versioning added in front
 * (s3-versions.ts) because s3rver has none. Requests are forwarded as they came (path
 * style); only the access key in the SigV4 header is swapped for s3rver's, since
 * s3rver knows a single account and does not check V4 signatures.
 */
import { mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { S3Versioning } from "./s3-versions.ts";

interface S3rverInstance {
  run(): Promise<{ port: number }>;
  reset(): void;
  close(): Promise<void>;
}
type S3rverConstructor = new (options: Record<string, unknown>) => S3rverInstance;

const S3RVER_ACCESS_KEY = "S3RVER";

export interface S3Backend {
  port: number;
  directory: string;
  /** Serves one S3 request (versioning in front, s3rver behind). */
  handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void>;
  /** Removes every bucket and object. */
  reset(): void;
  stop(): Promise<void>;
}

export async function startS3(): Promise<S3Backend> {
  const S3rver = createRequire(import.meta.url)("s3rver") as S3rverConstructor;
  const directory = await mkdtemp(path.join(tmpdir(), "vaultlift-s3-"));
  const server = new S3rver({
    address: "127.0.0.1",
    port: 0,
    silent: true,
    directory,
    resetOnClose: true,
    vhostBuckets: false,
    allowMismatchedSignatures: true,
  });
  const { port } = await server.run();
  const agent = new http.Agent({ keepAlive: true });
  const forward = (req: http.IncomingMessage, res: http.ServerResponse, decoded?: Buffer): void => {
    if (decoded === undefined && isAwsChunked(req.headers)) {
      readBody(req).then((body) => forward(req, res, decodeAwsChunked(body)), (error: unknown) => res.destroy(error as Error));
      return;
    }
    const headers: http.OutgoingHttpHeaders = decoded === undefined ? { ...req.headers } : plainUploadHeaders(req.headers, decoded.length);
    if (typeof headers.authorization === "string") {
      headers.authorization = headers.authorization.replace(/Credential=[^/]+\//, `Credential=${S3RVER_ACCESS_KEY}/`);
    }
    const upstream = http.request({ host: "127.0.0.1", port, method: req.method, path: req.url, headers, agent }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on("error", (error) => {
      if (res.headersSent) {
        res.destroy(error);
        return;
      }
      res.writeHead(502, { "content-type": "application/xml" });
      res.end(s3ErrorXml("InternalError", `s3rver is unreachable: ${error.message}`));
    });
    if (decoded === undefined) req.pipe(upstream);
    else upstream.end(decoded);
  };
  const versioning = new S3Versioning(port, forward);
  return {
    port,
    directory,
    handle: (req, res) => versioning.handle(req, res),
    reset() {
      versioning.clear();
      server.reset();
    },
    async stop() {
      versioning.destroy();
      agent.destroy();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/** The SDK streams uploads as `aws-chunked` with a trailing checksum; s3rver stores such bodies verbatim. */
export function isAwsChunked(headers: http.IncomingHttpHeaders): boolean {
  const encoding = String(headers["content-encoding"] ?? "");
  const sha = String(headers["x-amz-content-sha256"] ?? "");
  return encoding.split(",").some((part) => part.trim() === "aws-chunked") || sha.startsWith("STREAMING-");
}

/** `size[;chunk-signature=...]\r\n data \r\n ... 0\r\n trailers \r\n` to the plain payload. */
export function decodeAwsChunked(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset < body.length) {
    const lineEnd = body.indexOf("\r\n", offset);
    if (lineEnd < 0) break;
    const size = Number.parseInt(body.subarray(offset, lineEnd).toString("latin1").split(";")[0] ?? "", 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

/** Headers for re-sending a decoded aws-chunked upload as a plain one. */
export function plainUploadHeaders(headers: http.IncomingHttpHeaders, length: number): http.OutgoingHttpHeaders {
  const copy: http.OutgoingHttpHeaders = { ...headers };
  const encoding = String(headers["content-encoding"] ?? "")
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part && part !== "aws-chunked");
  if (encoding.length > 0) copy["content-encoding"] = encoding.join(",");
  else delete copy["content-encoding"];
  for (const name of ["x-amz-decoded-content-length", "x-amz-trailer", "transfer-encoding"]) delete copy[name];
  copy["x-amz-content-sha256"] = "UNSIGNED-PAYLOAD";
  copy["content-length"] = String(length);
  return copy;
}

export function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

export function s3ErrorXml(code: string, message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message.replace(/[<>&]/g, " ")}</Message></Error>`;
}

/** Names an S3 request the way the API reference does, for counters and faults. */
export function s3Operation(method: string, url: string, headers: http.IncomingHttpHeaders): string {
  const parsed = new URL(url, "http://localhost");
  const pathname = parsed.pathname.replace(/^\//, "");
  const slash = pathname.indexOf("/");
  const bucket = slash < 0 ? pathname : pathname.slice(0, slash);
  const key = slash < 0 ? "" : pathname.slice(slash + 1);
  const query = new Set(parsed.searchParams.keys());
  const sub = ["versioning", "versions", "policy", "cors", "tagging", "encryption", "publicAccessBlock", "lifecycle", "acl", "location", "website", "uploads", "delete", "uploadId"].find((name) =>
    query.has(name),
  );
  const cap = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
  if (!bucket) return "s3.ListBuckets";
  if (!key) {
    if (method === "GET") {
      if (sub === "versions") return "s3.ListObjectVersions";
      if (sub === "uploads") return "s3.ListMultipartUploads";
      if (sub) return `s3.GetBucket${cap(sub)}`;
      return parsed.searchParams.get("list-type") === "2" ? "s3.ListObjectsV2" : "s3.ListObjects";
    }
    if (method === "PUT") return sub ? `s3.PutBucket${cap(sub)}` : "s3.CreateBucket";
    if (method === "DELETE") return sub ? `s3.DeleteBucket${cap(sub)}` : "s3.DeleteBucket";
    if (method === "HEAD") return "s3.HeadBucket";
    if (method === "POST" && sub === "delete") return "s3.DeleteObjects";
    return `s3.${cap(method.toLowerCase())}Bucket`;
  }
  if (method === "GET") return sub === "tagging" || sub === "acl" ? `s3.GetObject${cap(sub)}` : sub === "uploadId" ? "s3.ListParts" : "s3.GetObject";
  if (method === "HEAD") return "s3.HeadObject";
  if (method === "PUT") {
    if (query.has("partNumber")) return "s3.UploadPart";
    if (sub === "tagging" || sub === "acl") return `s3.PutObject${cap(sub)}`;
    return headers["x-amz-copy-source"] ? "s3.CopyObject" : "s3.PutObject";
  }
  if (method === "DELETE") return sub === "uploadId" ? "s3.AbortMultipartUpload" : sub === "tagging" ? "s3.DeleteObjectTagging" : "s3.DeleteObject";
  if (method === "POST") return sub === "uploads" ? "s3.CreateMultipartUpload" : sub === "uploadId" ? "s3.CompleteMultipartUpload" : "s3.PostObject";
  return `s3.${cap(method.toLowerCase())}Object`;
}
