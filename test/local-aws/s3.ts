/**
 * S3 for vault-bucket tests: s3rver on its own loopback port with a temporary directory,
 * reached through the one local endpoint. Requests are forwarded as they came (path
 * style); only the access key in the SigV4 header is swapped for s3rver's, since
 * s3rver knows a single account and does not check V4 signatures.
 */
import { mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";

interface S3rverInstance {
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
}
type S3rverConstructor = new (options: Record<string, unknown>) => S3rverInstance;

const S3RVER_ACCESS_KEY = "S3RVER";

export interface S3Backend {
  port: number;
  directory: string;
  forward(req: http.IncomingMessage, res: http.ServerResponse): void;
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
  return {
    port,
    directory,
    forward(req, res) {
      const headers = { ...req.headers };
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
      req.pipe(upstream);
    },
    async stop() {
      agent.destroy();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
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
