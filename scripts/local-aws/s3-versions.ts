/**
 * Object versioning in front of s3rver, which has none: PutBucketVersioning,
 * GetBucketVersioning, ListObjectVersions, GetObject/HeadObject/DeleteObject with
 * `versionId`, delete markers and `x-amz-version-id` headers. s3rver keeps holding the
 * current object of every key; this layer keeps every version of keys written while
 * versioning was on, in memory. Objects written before versioning show as version "null".
 * Not covered: multipart uploads do not create versions.
 */
import { randomBytes } from "node:crypto";
import http from "node:http";
import { decodeAwsChunked, isAwsChunked, plainUploadHeaders, readBody, s3ErrorXml } from "./s3.ts";

interface ObjectVersion {
  versionId: string;
  deleteMarker: boolean;
  body: Buffer;
  etag: string;
  contentType: string;
  lastModified: Date;
}

interface Upstream {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

type Status = "Enabled" | "Suspended";

const XMLNS = "http://s3.amazonaws.com/doc/2006-03-01/";
const OWNER = "<Owner><ID>123456789000</ID><DisplayName>S3rver</DisplayName></Owner>";

export class S3Versioning {
  private readonly status = new Map<string, Status>();
  /** bucket -> key -> versions, oldest first. */
  private readonly versions = new Map<string, Map<string, ObjectVersion[]>>();
  private readonly agent = new http.Agent({ keepAlive: true });

  constructor(
    private readonly port: number,
    private readonly forward: (req: http.IncomingMessage, res: http.ServerResponse) => void,
  ) {}

  clear(): void {
    this.status.clear();
    this.versions.clear();
  }

  destroy(): void {
    this.agent.destroy();
  }

  /** Serves the request when versioning is involved, else hands it to s3rver unchanged. */
  async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://localhost");
    const pathname = url.pathname.replace(/^\//, "");
    const slash = pathname.indexOf("/");
    const bucket = decodeURIComponent(slash < 0 ? pathname : pathname.slice(0, slash));
    const key = slash < 0 ? "" : decodeURIComponent(pathname.slice(slash + 1));
    const method = req.method ?? "GET";
    const query = url.searchParams;
    if (bucket && !key) {
      if (query.has("versioning") && (method === "PUT" || method === "GET")) return this.bucketVersioning(req, res, bucket, method);
      if (query.has("versions") && method === "GET") return this.listVersions(res, bucket, query);
      if (query.has("delete") && method === "POST" && (this.status.has(bucket) || this.versions.has(bucket))) return this.deleteObjects(req, res, bucket);
      if (method === "DELETE" && [...query.keys()].length === 0) {
        if (this.hasVersions(bucket)) return sendError(res, 409, "BucketNotEmpty", "The bucket you tried to delete is not empty. You must delete all versions in the bucket.");
        this.status.delete(bucket);
        this.versions.delete(bucket);
      }
      return this.forward(req, res);
    }
    const status = this.status.get(bucket);
    const versionId = query.get("versionId");
    if (!key || (!status && versionId === null)) return this.forward(req, res);
    const plain = [...query.keys()].every((name) => name === "versionId" || name.startsWith("response-") || name === "x-id");
    if (!plain) return this.forward(req, res);
    if (method === "PUT" && status && !req.headers["x-amz-copy-source"] && !query.has("partNumber")) return this.putObject(req, res, bucket, key, status);
    if (method === "PUT" && status) return this.afterWrite(req, res, bucket, key, status);
    if (method === "GET" || method === "HEAD") return this.getObject(req, res, bucket, key, versionId);
    if (method === "DELETE") return this.deleteObject(req, res, bucket, key, versionId, status);
    return this.forward(req, res);
  }

  private async bucketVersioning(req: http.IncomingMessage, res: http.ServerResponse, bucket: string, method: string): Promise<void> {
    const body = await readBody(req);
    if ((await this.upstream("HEAD", `/${encodeURIComponent(bucket)}`)).status !== 200) return sendError(res, 404, "NoSuchBucket", "The specified bucket does not exist");
    if (method === "GET") {
      const status = this.status.get(bucket);
      return sendXml(res, `<VersioningConfiguration xmlns="${XMLNS}">${status ? `<Status>${status}</Status>` : ""}</VersioningConfiguration>`);
    }
    const match = /<Status>\s*(Enabled|Suspended)\s*<\/Status>/.exec(body.toString("utf8"));
    if (!match) return sendError(res, 400, "MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema.");
    this.status.set(bucket, match[1] as Status);
    res.writeHead(200, { "content-length": 0 });
    res.end();
  }

  private async putObject(req: http.IncomingMessage, res: http.ServerResponse, bucket: string, key: string, status: Status): Promise<void> {
    await this.adoptUnversioned(bucket, key);
    const answer = await this.upstream("PUT", req.url ?? "/", ...(await upload(req)));
    if (answer.status !== 200) return relay(res, answer);
    const version = await this.record(bucket, key, status);
    relay(res, answer, version ? { "x-amz-version-id": version.versionId } : {});
  }

  /** CopyObject into a versioned bucket: forward, then record what s3rver now holds. */
  private async afterWrite(req: http.IncomingMessage, res: http.ServerResponse, bucket: string, key: string, status: Status): Promise<void> {
    await this.adoptUnversioned(bucket, key);
    const answer = await this.upstream("PUT", req.url ?? "/", ...(await upload(req)));
    if (answer.status !== 200) return relay(res, answer);
    const version = await this.record(bucket, key, status);
    relay(res, answer, version ? { "x-amz-version-id": version.versionId } : {});
  }

  private async getObject(req: http.IncomingMessage, res: http.ServerResponse, bucket: string, key: string, versionId: string | null): Promise<void> {
    const history = this.versions.get(bucket)?.get(key);
    const latest = history?.[history.length - 1];
    if (versionId === null || (!history && versionId === "null")) {
      if (latest?.deleteMarker) return sendError(res, 404, "NoSuchKey", "The specified key does not exist.", { "x-amz-delete-marker": "true", "x-amz-version-id": latest.versionId });
      if (latest) res.setHeader("x-amz-version-id", latest.versionId);
      req.url = stripVersionId(req.url ?? "/");
      return this.forward(req, res);
    }
    const version = history?.find((v) => v.versionId === versionId);
    if (!version) return sendError(res, 404, "NoSuchVersion", "The specified version does not exist.");
    if (version.deleteMarker) return sendError(res, 405, "MethodNotAllowed", "The specified method is not allowed against this resource.", { "x-amz-delete-marker": "true", "x-amz-version-id": versionId });
    const headers = {
      "content-type": version.contentType,
      "content-length": version.body.length,
      etag: version.etag,
      "last-modified": version.lastModified.toUTCString(),
      "x-amz-version-id": version.versionId,
      "accept-ranges": "bytes",
    };
    res.writeHead(200, headers);
    res.end(req.method === "HEAD" ? undefined : version.body);
  }

  private async deleteObject(req: http.IncomingMessage, res: http.ServerResponse, bucket: string, key: string, versionId: string | null, status: Status | undefined): Promise<void> {
    if (versionId === null && !status) return this.forward(req, res);
    const result = await this.deleteOne(bucket, key, versionId, status);
    res.writeHead(204, { ...(result.versionId ? { "x-amz-version-id": result.versionId } : {}), ...(result.deleteMarker ? { "x-amz-delete-marker": "true" } : {}) });
    res.end();
  }

  /** DeleteObjects on a bucket with versions: each key or version as DeleteObject would. */
  private async deleteObjects(req: http.IncomingMessage, res: http.ServerResponse, bucket: string): Promise<void> {
    const [, body] = await upload(req);
    const text = body.toString("utf8");
    const quiet = /<Quiet>\s*true\s*<\/Quiet>/.test(text);
    const status = this.status.get(bucket);
    const deleted: string[] = [];
    for (const match of text.matchAll(/<Object>([\s\S]*?)<\/Object>/g)) {
      const key = unxml(/<Key>([\s\S]*?)<\/Key>/.exec(match[1] as string)?.[1] ?? "");
      const versionId = /<VersionId>([\s\S]*?)<\/VersionId>/.exec(match[1] as string)?.[1] ?? null;
      const result = await this.deleteOne(bucket, key, versionId, status);
      if (quiet) continue;
      const marker = result.deleteMarker ? `<DeleteMarker>true</DeleteMarker><DeleteMarkerVersionId>${result.versionId ?? ""}</DeleteMarkerVersionId>` : "";
      deleted.push(`<Deleted><Key>${xml(key)}</Key>${versionId !== null ? `<VersionId>${xml(versionId)}</VersionId>` : ""}${marker}</Deleted>`);
    }
    sendXml(res, `<DeleteResult xmlns="${XMLNS}">${deleted.join("")}</DeleteResult>`);
  }

  /**
   * Without a version id: with versioning on, a delete marker; else a plain delete. With
   * one: that version goes, and if it was the latest, s3rver gets the one before it.
   */
  private async deleteOne(bucket: string, key: string, versionId: string | null, status: Status | undefined): Promise<{ versionId?: string; deleteMarker: boolean }> {
    const path = objectPath(bucket, key);
    if (versionId === null) {
      if (!status) {
        await this.upstream("DELETE", path);
        return { deleteMarker: false };
      }
      await this.adoptUnversioned(bucket, key);
      await this.upstream("DELETE", path);
      const marker: ObjectVersion = { versionId: newVersionId(status), deleteMarker: true, body: Buffer.alloc(0), etag: "", contentType: "", lastModified: new Date() };
      this.push(bucket, key, marker);
      return { versionId: marker.versionId, deleteMarker: true };
    }
    const history = this.versions.get(bucket)?.get(key);
    const index = history ? history.findIndex((v) => v.versionId === versionId) : -1;
    if (!history || index < 0) {
      if (!history && versionId === "null") await this.upstream("DELETE", path);
      return { versionId, deleteMarker: false };
    }
    const [removed] = history.splice(index, 1) as [ObjectVersion];
    if (index === history.length) {
      const now = history[history.length - 1];
      if (now && !now.deleteMarker) {
        await this.upstream("PUT", path, { "content-type": now.contentType, "content-length": String(now.body.length) }, now.body);
      } else if (!removed.deleteMarker) {
        await this.upstream("DELETE", path);
      }
    }
    if (history.length === 0) this.versions.get(bucket)?.delete(key);
    return { versionId, deleteMarker: removed.deleteMarker };
  }

  private async listVersions(res: http.ServerResponse, bucket: string, query: URLSearchParams): Promise<void> {
    if ((await this.upstream("HEAD", `/${encodeURIComponent(bucket)}`)).status !== 200) return sendError(res, 404, "NoSuchBucket", "The specified bucket does not exist");
    const prefix = query.get("prefix") ?? "";
    const delimiter = query.get("delimiter") ?? "";
    const keyMarker = query.get("key-marker") ?? "";
    const versionIdMarker = query.get("version-id-marker") ?? "";
    const maxKeys = Math.min(Number(query.get("max-keys") ?? 1000) || 1000, 1000);
    const encode = query.get("encoding-type") === "url" ? (text: string) => encodeURIComponent(text) : (text: string) => text;
    const history = this.versions.get(bucket) ?? new Map<string, ObjectVersion[]>();
    const current = await this.listCurrent(bucket, prefix);
    const keys = [...new Set([...current.keys(), ...history.keys()])].filter((key) => key.startsWith(prefix)).sort();
    const entries: { key: string; version: ObjectVersion; latest: boolean }[] = [];
    const commonPrefixes = new Set<string>();
    for (const key of keys) {
      if (delimiter) {
        const cut = key.indexOf(delimiter, prefix.length);
        if (cut >= 0) {
          commonPrefixes.add(key.slice(0, cut + delimiter.length));
          continue;
        }
      }
      const versions = history.get(key) ?? [current.get(key) as ObjectVersion];
      versions.forEach((version, index) => entries.push({ key, version, latest: index === versions.length - 1 }));
    }
    // Within a key, newest first.
    entries.sort((a, b) => (a.key === b.key ? 0 : a.key < b.key ? -1 : 1));
    const ordered = groupNewestFirst(entries);
    let start = 0;
    if (keyMarker) {
      start = ordered.findIndex((entry) => entry.key > keyMarker);
      if (versionIdMarker) {
        const at = ordered.findIndex((entry) => entry.key === keyMarker && entry.version.versionId === versionIdMarker);
        if (at >= 0) start = at + 1;
      }
      if (start < 0) start = ordered.length;
    }
    const page = ordered.slice(start, start + maxKeys);
    const truncated = start + maxKeys < ordered.length;
    const last = page[page.length - 1];
    const items = page
      .map(({ key, version, latest }) => {
        const common = `<Key>${xml(encode(key))}</Key><VersionId>${version.versionId}</VersionId><IsLatest>${latest}</IsLatest><LastModified>${version.lastModified.toISOString()}</LastModified>`;
        return version.deleteMarker
          ? `<DeleteMarker>${common}${OWNER}</DeleteMarker>`
          : `<Version>${common}<ETag>${xml(version.etag)}</ETag><Size>${version.body.length}</Size><StorageClass>STANDARD</StorageClass>${OWNER}</Version>`;
      })
      .join("");
    const prefixes = [...commonPrefixes].map((p) => `<CommonPrefixes><Prefix>${xml(encode(p))}</Prefix></CommonPrefixes>`).join("");
    sendXml(
      res,
      `<ListVersionsResult xmlns="${XMLNS}"><Name>${xml(bucket)}</Name><Prefix>${xml(encode(prefix))}</Prefix><KeyMarker>${xml(encode(keyMarker))}</KeyMarker>` +
        `<VersionIdMarker>${xml(versionIdMarker)}</VersionIdMarker><MaxKeys>${maxKeys}</MaxKeys>${delimiter ? `<Delimiter>${xml(encode(delimiter))}</Delimiter>` : ""}` +
        `<IsTruncated>${truncated}</IsTruncated>${truncated && last ? `<NextKeyMarker>${xml(encode(last.key))}</NextKeyMarker><NextVersionIdMarker>${last.version.versionId}</NextVersionIdMarker>` : ""}` +
        `${query.get("encoding-type") === "url" ? "<EncodingType>url</EncodingType>" : ""}${items}${prefixes}</ListVersionsResult>`,
    );
  }

  /** The objects s3rver holds under `prefix`, as "null" versions (bodies are not read). */
  private async listCurrent(bucket: string, prefix: string): Promise<Map<string, ObjectVersion>> {
    const found = new Map<string, ObjectVersion>();
    let token: string | undefined;
    do {
      const params = new URLSearchParams({ "list-type": "2", prefix, "max-keys": "1000" });
      if (token) params.set("continuation-token", token);
      const answer = await this.upstream("GET", `/${encodeURIComponent(bucket)}?${params.toString()}`);
      const text = answer.body.toString("utf8");
      for (const match of text.matchAll(/<Contents>([\s\S]*?)<\/Contents>/g)) {
        const field = (name: string) => unxml(new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(match[1] as string)?.[1] ?? "");
        const key = field("Key");
        found.set(key, {
          versionId: "null",
          deleteMarker: false,
          body: Buffer.alloc(Number(field("Size"))),
          etag: field("ETag"),
          contentType: "",
          lastModified: new Date(field("LastModified")),
        });
      }
      token = /<IsTruncated>true<\/IsTruncated>/.test(text) ? unxml(/<NextContinuationToken>([\s\S]*?)<\/NextContinuationToken>/.exec(text)?.[1] ?? "") || undefined : undefined;
    } while (token);
    return found;
  }

  /** An object written before versioning was turned on becomes version "null" on its first versioned write. */
  private async adoptUnversioned(bucket: string, key: string): Promise<void> {
    if (this.versions.get(bucket)?.has(key)) return;
    const existing = await this.fetch(bucket, key, "null");
    if (existing) this.push(bucket, key, existing);
  }

  private async record(bucket: string, key: string, status: Status): Promise<ObjectVersion | undefined> {
    const version = await this.fetch(bucket, key, newVersionId(status));
    if (version) this.push(bucket, key, version);
    return version;
  }

  private async fetch(bucket: string, key: string, versionId: string): Promise<ObjectVersion | undefined> {
    const answer = await this.upstream("GET", objectPath(bucket, key));
    if (answer.status !== 200) return undefined;
    return {
      versionId,
      deleteMarker: false,
      body: answer.body,
      etag: String(answer.headers.etag ?? ""),
      contentType: String(answer.headers["content-type"] ?? "binary/octet-stream"),
      lastModified: new Date(String(answer.headers["last-modified"] ?? new Date().toUTCString())),
    };
  }

  /** Adds a version; with versioning suspended the new "null" version replaces the old one. */
  private push(bucket: string, key: string, version: ObjectVersion): void {
    let byKey = this.versions.get(bucket);
    if (!byKey) this.versions.set(bucket, (byKey = new Map()));
    const history = (byKey.get(key) ?? []).filter((v) => version.versionId !== "null" || v.versionId !== "null");
    history.push(version);
    byKey.set(key, history);
  }

  private hasVersions(bucket: string): boolean {
    for (const history of this.versions.get(bucket)?.values() ?? []) if (history.length > 0) return true;
    return false;
  }

  private upstream(method: string, path: string, headers: http.OutgoingHttpHeaders = {}, body?: Buffer): Promise<Upstream> {
    return new Promise((resolve, reject) => {
      const request = http.request({ host: "127.0.0.1", port: this.port, method, path, headers, agent: this.agent }, (answer) => {
        const chunks: Buffer[] = [];
        answer.on("data", (chunk: Buffer) => chunks.push(chunk));
        answer.on("end", () => resolve({ status: answer.statusCode ?? 502, headers: answer.headers, body: Buffer.concat(chunks) }));
        answer.on("error", reject);
      });
      request.on("error", reject);
      request.end(body);
    });
  }
}

function groupNewestFirst<T extends { key: string }>(entries: T[]): T[] {
  const out: T[] = [];
  let group: T[] = [];
  for (const entry of entries) {
    if (group.length > 0 && (group[0] as T).key !== entry.key) {
      out.push(...group.reverse());
      group = [];
    }
    group.push(entry);
  }
  out.push(...group.reverse());
  return out;
}

function newVersionId(status: Status): string {
  return status === "Enabled" ? randomBytes(24).toString("base64url") : "null";
}

function objectPath(bucket: string, key: string): string {
  return `/${encodeURIComponent(bucket)}/${key.split("/").map(encodeURIComponent).join("/")}`;
}

function stripVersionId(url: string): string {
  const parsed = new URL(url, "http://localhost");
  parsed.searchParams.delete("versionId");
  const search = parsed.searchParams.toString();
  return `${parsed.pathname}${search ? `?${search}` : ""}`;
}

/** An upload re-sent to s3rver: unsigned (s3rver needs no signature), aws-chunked decoded. */
async function upload(req: http.IncomingMessage): Promise<[http.OutgoingHttpHeaders, Buffer]> {
  const raw = await readBody(req);
  const chunked = isAwsChunked(req.headers);
  const body = chunked ? decodeAwsChunked(raw) : raw;
  const headers = chunked ? plainUploadHeaders(req.headers, body.length) : { ...req.headers };
  delete headers.authorization;
  return [headers, body];
}

function relay(res: http.ServerResponse, answer: Upstream, extra: Record<string, string> = {}): void {
  const headers: http.OutgoingHttpHeaders = { ...answer.headers, ...extra };
  delete headers["transfer-encoding"];
  headers["content-length"] = answer.body.length;
  res.writeHead(answer.status, headers);
  res.end(answer.body);
}

function sendXml(res: http.ServerResponse, body: string): void {
  const text = `<?xml version="1.0" encoding="UTF-8"?>\n${body}`;
  res.writeHead(200, { "content-type": "application/xml", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

function sendError(res: http.ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  const body = s3ErrorXml(code, message);
  res.writeHead(status, { "content-type": "application/xml", "content-length": Buffer.byteLength(body), ...headers });
  res.end(body);
}

function xml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function unxml(text: string): string {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, "&");
}
