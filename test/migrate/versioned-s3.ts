/**
 * A versioned vault bucket for tests. s3rver (behind the local endpoint) has no object
 * versioning, so this small server answers ListObjectsV2, ListObjectVersions and
 * GetObject (with versionId) for one in-memory bucket and forwards every other request
 * (Secrets Manager, SSM, other buckets) to the local endpoint unchanged.
 */
import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

interface ObjectVersion {
  versionId: string;
  body: Buffer;
  lastModified: Date;
}

export interface VersionedBucket {
  endpoint: string;
  /** Puts a new version of `key`; older ones stay. */
  put(key: string, body: string): string;
  stop(): Promise<void>;
}

const NS = "http://s3.amazonaws.com/doc/2006-03-01/";
const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export async function startVersionedBucket(bucket: string, upstream: string): Promise<VersionedBucket> {
  const objects = new Map<string, ObjectVersion[]>();
  let clock = Date.UTC(2019, 0, 1);
  const target = new URL(upstream);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://local");
    const [, first = "", ...rest] = url.pathname.split("/");
    if (req.headers["x-amz-target"] || decodeURIComponent(first) !== bucket) {
      const forward = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      req.pipe(forward);
      return;
    }
    const key = decodeURIComponent(rest.join("/"));
    const prefix = url.searchParams.get("prefix") ?? "";
    const xml = (body: string) => {
      res.writeHead(200, { "content-type": "application/xml" });
      res.end(`<?xml version="1.0" encoding="UTF-8"?>\n${body}`);
    };
    const keys = [...objects.keys()].filter((name) => name.startsWith(prefix)).sort();
    if (!key && url.searchParams.has("versions")) {
      const versions = keys.flatMap((name) => {
        const history = objects.get(name) as ObjectVersion[];
        return [...history].reverse().map((version, index) =>
          `<Version><Key>${escape(name)}</Key><VersionId>${version.versionId}</VersionId><IsLatest>${index === 0}</IsLatest><LastModified>${version.lastModified.toISOString()}</LastModified><ETag>"${version.versionId}"</ETag><Size>${version.body.length}</Size><StorageClass>STANDARD</StorageClass></Version>`,
        );
      });
      xml(`<ListVersionsResult xmlns="${NS}"><Name>${bucket}</Name><Prefix>${escape(prefix)}</Prefix><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>${versions.join("")}</ListVersionsResult>`);
      return;
    }
    if (!key) {
      const contents = keys.map((name) => {
        const latest = (objects.get(name) as ObjectVersion[]).at(-1) as ObjectVersion;
        return `<Contents><Key>${escape(name)}</Key><LastModified>${latest.lastModified.toISOString()}</LastModified><ETag>"${latest.versionId}"</ETag><Size>${latest.body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
      });
      xml(`<ListBucketResult xmlns="${NS}"><Name>${bucket}</Name><Prefix>${escape(prefix)}</Prefix><KeyCount>${contents.length}</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>${contents.join("")}</ListBucketResult>`);
      return;
    }
    const history = objects.get(key) ?? [];
    const wanted = url.searchParams.get("versionId");
    const version = wanted ? history.find((candidate) => candidate.versionId === wanted) : history.at(-1);
    if (!version) {
      res.writeHead(404, { "content-type": "application/xml" });
      res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchKey</Code><Message>no such key</Message></Error>`);
      return;
    }
    res.writeHead(200, {
      "content-type": "application/octet-stream",
      "content-length": String(version.body.length),
      "last-modified": version.lastModified.toUTCString(),
      etag: `"${version.versionId}"`,
      "x-amz-version-id": version.versionId,
    });
    res.end(version.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    put(key, body) {
      const versionId = randomUUID().replace(/-/g, "");
      clock += 86_400_000;
      objects.set(key, [...(objects.get(key) ?? []), { versionId, body: Buffer.from(body), lastModified: new Date(clock) }]);
      return versionId;
    },
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
