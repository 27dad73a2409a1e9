/**
 * One interface, two stores: Secrets Manager and SSM Parameter Store meet here, so
 * `secrets`, `migrate` and `teardown` are written once.
 */
import type { Store } from "../../core/naming.ts";

export type { Store };

export interface SecretSummary {
  name: string;
  store: Store;
  /** ARN for Secrets Manager secrets and SSM parameters when known. */
  arn?: string;
  description?: string;
  lastChanged?: Date;
  tags: Record<string, string>;
  /** Set when the secret is scheduled for deletion (Secrets Manager only). */
  deletionDate?: Date;
  /** SSM: parameter type (SecureString, String, StringList) and tier. */
  type?: string;
  tier?: string;
}

export interface SecretVersion {
  /** Secrets Manager VersionId, or the SSM version number as a string. */
  id: string;
  /** Secrets Manager stages (AWSCURRENT, AWSPREVIOUS, ...) or SSM labels. */
  stages: string[];
  created?: Date;
}

/**
 * Which version to read. Empty means the current one. Secrets Manager understands
 * `versionId` and `stage`; SSM understands `version` and `label`. `back: N` means N
 * versions before the current one, in either store.
 */
export interface VersionSelector {
  versionId?: string;
  stage?: string;
  version?: number;
  label?: string;
  back?: number;
}

export interface SecretValue {
  name: string;
  store: Store;
  value: string;
  versionId: string;
  stages: string[];
  /** Secrets Manager SecretBinary: `value` then holds the bytes in base64. */
  binary?: boolean;
}

export interface WriteOptions {
  description?: string;
  kmsKeyId?: string;
  tags?: Record<string, string>;
  /** Secrets Manager idempotency token (32-64 chars); a retry with it creates no second version. */
  clientRequestToken?: string;
  /** SSM parameter type; default: SecureString for a new parameter, the current type for an existing one. */
  type?: "String" | "StringList" | "SecureString";
  /** SSM tier; default: chosen by size (Advanced above 4 KB). */
  tier?: "Standard" | "Advanced";
  /** Fail with "already exists" instead of putting a new version (`secrets create`). */
  onlyCreate?: boolean;
  /** The caller knows the secret exists: put a new version without trying to create it first (`secrets update`). */
  onlyUpdate?: boolean;
  /** With `onlyUpdate`: the current version the caller has just read (and found different), so the write need not read it again. */
  baseVersionId?: string;
}

export interface WriteResult {
  versionId: string;
  /** True when the secret or parameter did not exist before. */
  created: boolean;
}

export interface DeleteOptions {
  /** Secrets Manager recovery window, 7-30 days. */
  recoveryDays?: number;
  /** Delete at once, no recovery; the name can be reused right away. */
  force?: boolean;
}

export interface ListOptions {
  prefix?: string;
  includeDeleted?: boolean;
  /** SSM lists no tags: this costs one ListTagsForResource per parameter. Secrets Manager always has them. */
  withTags?: boolean;
}

export interface DeleteManyResult {
  deleted: string[];
  failed: { name: string; error: Error }[];
}

export interface SecretStore {
  readonly kind: Store;
  /** Every secret under a prefix, paging handled; deleted ones only when asked. */
  list(options?: ListOptions): AsyncIterable<SecretSummary>;
  describe(name: string): Promise<SecretSummary | undefined>;
  versions(name: string): Promise<SecretVersion[]>;
  /** One value; undefined when the secret does not exist. */
  read(name: string, selector?: VersionSelector): Promise<SecretValue | undefined>;
  /** Current values of many secrets with batched calls (20 per BatchGetSecretValue, 10 per GetParameters); missing names are absent. */
  readMany(names: readonly string[]): Promise<Map<string, SecretValue>>;
  /** Creates the secret if it does not exist, else puts a new version. */
  write(name: string, value: string, options?: WriteOptions): Promise<WriteResult>;
  delete(name: string, options?: DeleteOptions): Promise<void>;
  restore(name: string): Promise<void>;
  /** Deletes many with batched calls where the store has them (SSM DeleteParameters, 10 a call). */
  deleteMany?(names: readonly string[], options?: DeleteOptions): Promise<DeleteManyResult>;
}
