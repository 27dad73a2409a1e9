/**
 * An S3 "vault" bucket as a source: every object under a prefix (ListObjectsV2), or with
 * `versions` every version of every object (ListObjectVersions), read with GetObject.
 * Objects larger than `maxBytes` are skipped; a missing bucket is a remote error (exit 3).
 */
import type * as Sdk from "@aws-sdk/client-s3";
import type { S3Client } from "@aws-sdk/client-s3";
import { commandsOf, lazyClient, type LazyClient } from "../../aws/lazy-sdk.ts";
import { inputError, remoteError } from "../../../core/errors.ts";
import { awsOptionsFromEnv, createAwsClients } from "../../aws/clients.ts";
import type { Fragment, Source } from "../types.ts";

// The SDK package loads on the first request (lazy-sdk.ts).
const command = commandsOf<typeof Sdk>();
const GetObjectCommand = command("GetObjectCommand");
const ListObjectsV2Command = command("ListObjectsV2Command");
const ListObjectVersionsCommand = command("ListObjectVersionsCommand");

export interface S3Location {
  bucket: string;
  prefix: string;
}

/** `s3://bucket/prefix` -> `{ bucket, prefix }`; undefined when the text is not an s3:// URL. */
export function parseS3Url(text: string): S3Location | undefined {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(text);
  return match ? { bucket: match[1] as string, prefix: match[2] as string } : undefined;
}

export interface S3SourceOptions {
  /** Every object version, not only the current ones. */
  versions?: boolean;
  maxBytes?: number;
}

/** A fragment from S3, with what a migration needs to know about its version. */
export interface S3Fragment extends Fragment {
  source: "s3";
  key: string;
  /** False for an older version of an object. */
  isLatest: boolean;
  lastModified?: Date;
}

/**
 * The source for an `s3://bucket/prefix` argument of `vaultlift scan`. Without a client
 * (from the command's context), one is built from the AWS_* environment by the one
 * client factory and released when the listing ends.
 */
export function s3SourceFor(url: string, options: S3SourceOptions & { client?: () => Promise<S3Client> } = {}): S3VaultSource {
  const location = parseS3Url(url);
  if (!location || !location.bucket) throw inputError(`"${url}" is not an s3://BUCKET/PREFIX address`);
  if (options.client) return new S3VaultSource(options.client, location, options);
  let clients: ReturnType<typeof createAwsClients> | undefined;
  const source = new S3VaultSource(() => (clients ??= createAwsClients(awsOptionsFromEnv({}))).s3(), location, options);
  source.onDone = () => clients?.destroy();
  return source;
}

export class S3VaultSource implements Source {
  readonly label: string;
  /** Objects left out because they were larger than `maxBytes`. */
  readonly skipped: string[] = [];
  /** Called when a listing ends, for a source that owns its client. */
  onDone?: () => void;
  private readonly client: LazyClient;

  constructor(
    client: S3Client | (() => Promise<S3Client>),
    private readonly location: S3Location,
    private readonly options: S3SourceOptions = {},
  ) {
    this.client = lazyClient(client, () => import("@aws-sdk/client-s3"));
    this.label = `s3://${location.bucket}/${location.prefix}${options.versions ? " (all versions)" : ""}`;
  }

  fragments(): AsyncIterable<Fragment> {
    return this.objects();
  }

  async *objects(): AsyncIterable<S3Fragment> {
    try {
      yield* this.read();
    } finally {
      this.onDone?.();
    }
  }

  private async *read(): AsyncIterable<S3Fragment> {
    for await (const entry of this.options.versions ? this.listVersions() : this.listCurrent()) {
      const path = `s3://${this.location.bucket}/${entry.key}`;
      if (this.options.maxBytes !== undefined && entry.size > this.options.maxBytes) {
        this.skipped.push(path);
        continue;
      }
      const object = await this.call(() =>
        this.client.send(new GetObjectCommand({ Bucket: this.location.bucket, Key: entry.key, ...(entry.versionId ? { VersionId: entry.versionId } : {}) })),
      );
      const content = Buffer.from((await object.Body?.transformToByteArray()) ?? new Uint8Array());
      yield {
        path,
        content,
        source: "s3",
        key: entry.key,
        isLatest: entry.isLatest,
        ...(entry.versionId && this.options.versions ? { versionId: entry.versionId } : {}),
        ...(entry.lastModified ? { lastModified: entry.lastModified } : {}),
      };
    }
  }

  private async *listCurrent(): AsyncIterable<ListedObject> {
    let token: string | undefined;
    do {
      const page = await this.call(() =>
        this.client.send(new ListObjectsV2Command({ Bucket: this.location.bucket, Prefix: this.location.prefix || undefined, ContinuationToken: token })),
      );
      for (const object of page.Contents ?? []) {
        if (!object.Key || object.Key.endsWith("/")) continue;
        yield { key: object.Key, size: object.Size ?? 0, isLatest: true, ...(object.LastModified ? { lastModified: object.LastModified } : {}) };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  private async *listVersions(): AsyncIterable<ListedObject> {
    let keyMarker: string | undefined;
    let versionIdMarker: string | undefined;
    do {
      const page = await this.call(() =>
        this.client.send(
          new ListObjectVersionsCommand({ Bucket: this.location.bucket, Prefix: this.location.prefix || undefined, KeyMarker: keyMarker, VersionIdMarker: versionIdMarker }),
        ),
      );
      for (const version of page.Versions ?? []) {
        if (!version.Key || version.Key.endsWith("/")) continue;
        yield {
          key: version.Key,
          size: version.Size ?? 0,
          isLatest: version.IsLatest ?? false,
          ...(version.VersionId && version.VersionId !== "null" ? { versionId: version.VersionId } : {}),
          ...(version.LastModified ? { lastModified: version.LastModified } : {}),
        };
      }
      const more = page.IsTruncated ?? false;
      keyMarker = more ? page.NextKeyMarker : undefined;
      versionIdMarker = more ? page.NextVersionIdMarker : undefined;
    } while (keyMarker);
  }

  /** S3 errors in the user's words, naming the bucket: a bucket that does not exist was mistyped (exit 2); no access is exit 3. */
  private async call<T>(send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      const name = (error as { name?: string }).name ?? "";
      const where = `s3://${this.location.bucket}`;
      if (name === "NoSuchBucket") throw inputError(`${where}: no such bucket`, { cause: error });
      if (name === "AccessDenied" || name === "Forbidden") throw remoteError(`${where}: access denied (needs s3:ListBucket${this.options.versions ? ", s3:ListBucketVersions" : ""} and s3:GetObject)`, { cause: error });
      throw error;
    }
  }
}

interface ListedObject {
  key: string;
  size: number;
  isLatest: boolean;
  versionId?: string;
  lastModified?: Date;
}
