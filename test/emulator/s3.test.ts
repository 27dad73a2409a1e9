import { Readable } from "node:stream";
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  NoSuchKey,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalAws, type LocalAws } from "../../scripts/local-aws/index.ts";

let aws: LocalAws;
let s3: S3Client;
let counter = 0;
const freshBucket = (label: string) => `${label}-${++counter}-${Date.now().toString(36)}`;

beforeAll(async () => {
  aws = await startLocalAws();
  s3 = new S3Client({ endpoint: aws.endpoint, region: aws.region, credentials: aws.credentials, forcePathStyle: true, maxAttempts: 1 });
});

afterAll(async () => {
  s3.destroy();
  await aws.stop();
});

const text = async (bucket: string, key: string, versionId?: string) => {
  const answer = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }));
  return { body: await answer.Body?.transformToString(), versionId: answer.VersionId };
};

describe("S3 through the local endpoint (s3rver)", () => {
  it("creates a bucket, puts, lists and gets objects with the real SDK, counting calls", async () => {
    const bucket = freshBucket("vault");
    aws.counters.reset();
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "scripts/ssm-db.py", Body: "put_ssm_parameter('/db/password', 'hunter2')" }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "env/.env", Body: Readable.from([Buffer.from("API_KEY=abc\n")]), ContentLength: 12 }));
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: "scripts/" }));
    expect(listed.Contents?.map((o) => o.Key)).toEqual(["scripts/ssm-db.py"]);
    expect((await text(bucket, "scripts/ssm-db.py")).body).toBe("put_ssm_parameter('/db/password', 'hunter2')");
    expect((await text(bucket, "env/.env")).body).toBe("API_KEY=abc\n");
    await expect(s3.send(new GetObjectCommand({ Bucket: bucket, Key: "missing" }))).rejects.toThrow(NoSuchKey);
    expect(aws.counters.byOperation()).toMatchObject({ "s3.CreateBucket": 1, "s3.PutObject": 2, "s3.ListObjectsV2": 1, "s3.GetObject": 3 });
  });

  it("round-trips a 3 MB object (the SDK sends Expect: 100-continue)", async () => {
    const bucket = freshBucket("large");
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const body = Buffer.alloc(3 * 1024 * 1024, "k");
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "big.bin", Body: body }));
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: "big.bin" }));
    expect(Buffer.from(await (got.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray()).equals(body)).toBe(true);
  });

  it("injects S3 faults as SlowDown (503) and InternalError (500)", async () => {
    const bucket = freshBucket("faults");
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    try {
      aws.faults.set({ throttleRate: 1, operations: ["s3.ListObjectsV2"] });
      await expect(s3.send(new ListObjectsV2Command({ Bucket: bucket }))).rejects.toMatchObject({ name: "SlowDown", $metadata: { httpStatusCode: 503 } });
      aws.faults.set({ errorRate: 1, operations: ["s3.ListObjectsV2"] });
      await expect(s3.send(new ListObjectsV2Command({ Bucket: bucket }))).rejects.toMatchObject({ name: "InternalError", $metadata: { httpStatusCode: 500 } });
    } finally {
      aws.faults.clear();
    }
    expect((await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).KeyCount).toBe(0);
  });
});

describe("S3 object versions (layer in front of s3rver)", () => {
  it("versioning on: every put is a version, delete adds a marker, old versions stay readable", async () => {
    const bucket = freshBucket("versioned");
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "before.txt", Body: "from before versioning" }));
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status).toBeUndefined();
    await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: "Enabled" } }));
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status).toBe("Enabled");

    const v1 = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "ssm-app.py", Body: "put_ssm_parameter('/app/key', 'old-secret')" }));
    const v2 = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "ssm-app.py", Body: Readable.from([Buffer.from("# cleaned")]), ContentLength: 9 }));
    expect(v1.VersionId).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(v2.VersionId).not.toBe(v1.VersionId);
    expect(await text(bucket, "ssm-app.py")).toEqual({ body: "# cleaned", versionId: v2.VersionId });
    expect((await text(bucket, "ssm-app.py", v1.VersionId)).body).toBe("put_ssm_parameter('/app/key', 'old-secret')");
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "ssm-app.py", VersionId: v1.VersionId }));
    expect(head.ContentLength).toBe(43);

    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "before.txt", Body: "after" }));
    const deleted = await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: "ssm-app.py" }));
    expect(deleted.DeleteMarker).toBe(true);
    await expect(s3.send(new GetObjectCommand({ Bucket: bucket, Key: "ssm-app.py" }))).rejects.toThrow(NoSuchKey);
    expect((await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents?.map((o) => o.Key)).toEqual(["before.txt"]);

    const listed = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket }));
    expect(listed.Versions?.map((v) => [v.Key, v.VersionId, v.IsLatest])).toEqual([
      ["before.txt", expect.any(String), true],
      ["before.txt", "null", false],
      ["ssm-app.py", v2.VersionId, false],
      ["ssm-app.py", v1.VersionId, false],
    ]);
    expect(listed.DeleteMarkers?.map((m) => [m.Key, m.VersionId, m.IsLatest])).toEqual([["ssm-app.py", deleted.VersionId, true]]);
    expect((await text(bucket, "before.txt", "null")).body).toBe("from before versioning");

    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: "ssm-app.py", VersionId: deleted.VersionId }));
    expect((await text(bucket, "ssm-app.py")).body).toBe("# cleaned");
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: "ssm-app.py", VersionId: v2.VersionId }));
    expect((await text(bucket, "ssm-app.py")).body).toBe("put_ssm_parameter('/app/key', 'old-secret')");
  });

  it("empties a versioned bucket the usual way: DeleteObjects with every version, then DeleteBucket", async () => {
    const bucket = freshBucket("emptied");
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: "Enabled" } }));
    for (const body of ["1", "2"]) await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "a.txt", Body: body }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "b.txt", Body: "b" }));
    const batch = await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: [{ Key: "b.txt" }] } }));
    expect(batch.Deleted?.[0]).toMatchObject({ Key: "b.txt", DeleteMarker: true });
    await expect(s3.send(new DeleteBucketCommand({ Bucket: bucket }))).rejects.toMatchObject({ name: "BucketNotEmpty" });
    const listed = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket }));
    const all = [...(listed.Versions ?? []), ...(listed.DeleteMarkers ?? [])].map((v) => ({ Key: v.Key, VersionId: v.VersionId }));
    expect(all).toHaveLength(4);
    const removed = await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: all } }));
    expect(removed.Deleted).toHaveLength(4);
    expect((await s3.send(new ListObjectVersionsCommand({ Bucket: bucket }))).Versions).toBeUndefined();
    await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
  });

  it("lists versions of an unversioned bucket as version null, with prefix and paging", async () => {
    const bucket = freshBucket("plain");
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    for (const key of ["a/1", "a/2", "a/3", "b/1"]) await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key }));
    const first = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: "a/", MaxKeys: 2 }));
    expect(first.Versions?.map((v) => [v.Key, v.VersionId, v.IsLatest, v.Size])).toEqual([
      ["a/1", "null", true, 3],
      ["a/2", "null", true, 3],
    ]);
    expect(first.IsTruncated).toBe(true);
    const second = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: "a/", MaxKeys: 2, KeyMarker: first.NextKeyMarker, VersionIdMarker: first.NextVersionIdMarker }));
    expect(second.Versions?.map((v) => v.Key)).toEqual(["a/3"]);
    expect(second.IsTruncated).toBe(false);
    const grouped = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Delimiter: "/" }));
    expect(grouped.CommonPrefixes?.map((p) => p.Prefix)).toEqual(["a/", "b/"]);
    await expect(s3.send(new ListObjectVersionsCommand({ Bucket: freshBucket("none") }))).rejects.toMatchObject({ name: "NoSuchBucket" });
  });
});
