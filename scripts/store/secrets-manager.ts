/** AWS Secrets Manager behind the `SecretStore` interface. */
import type * as Sdk from "@aws-sdk/client-secrets-manager";
import type { SecretsManagerClient, Tag } from "@aws-sdk/client-secrets-manager";
import { commandsOf, lazyClient, type LazyClient } from "../aws/lazy-sdk.ts";
import { inputError, remoteError } from "../../core/errors.ts";
import { isNotAwsAnswer } from "../aws/clients.ts";
import { validateSecretsManagerName } from "../../core/naming.ts";
import { awsErrorName, forSecret, isNotFound, isScheduledForDeletion, messageOf, scheduledError, translate, wasRetried } from "./errors.ts";
import type {
  DeleteOptions,
  ListOptions,
  SecretStore,
  SecretSummary,
  SecretValue,
  SecretVersion,
  VersionSelector,
  WriteOptions,
  WriteResult,
} from "./types.ts";

// The SDK package loads on the first request (lazy-sdk.ts).
const command = commandsOf<typeof Sdk>();
const BatchGetSecretValueCommand = command("BatchGetSecretValueCommand");
const CreateSecretCommand = command("CreateSecretCommand");
const DeleteSecretCommand = command("DeleteSecretCommand");
const DescribeSecretCommand = command("DescribeSecretCommand");
const GetSecretValueCommand = command("GetSecretValueCommand");
const ListSecretVersionIdsCommand = command("ListSecretVersionIdsCommand");
const ListSecretsCommand = command("ListSecretsCommand");
const PutSecretValueCommand = command("PutSecretValueCommand");
const RestoreSecretCommand = command("RestoreSecretCommand");

export const SECRETS_MANAGER_LIMITS = {
  valueBytes: 65_536,
  batchGet: 20,
  listPage: 100,
  recoveryDaysMin: 7,
  recoveryDaysMax: 30,
} as const;

const STORE = "secretsmanager" as const;

export class SecretsManagerStore implements SecretStore {
  readonly kind = STORE;

  /** BatchGetSecretValue is unknown to the endpoint or denied by policy: read one at a time. */
  private singleReads = false;

  private readonly client: LazyClient;

  constructor(client: SecretsManagerClient | (() => Promise<SecretsManagerClient>)) {
    this.client = lazyClient(client, () => import("@aws-sdk/client-secrets-manager"));
  }

  async *list(options: ListOptions = {}): AsyncIterable<SecretSummary> {
    const { prefix, includeDeleted } = options;
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListSecretsCommand({
          MaxResults: SECRETS_MANAGER_LIMITS.listPage,
          NextToken: token,
          IncludePlannedDeletion: includeDeleted || undefined,
          Filters: prefix ? [{ Key: "name", Values: [prefix] }] : undefined,
        }),
      );
      for (const entry of page.SecretList ?? []) {
        // The name filter also matches words inside a name on some endpoints: keep true prefixes only.
        if (!entry.Name || (prefix && !entry.Name.startsWith(prefix))) continue;
        if (entry.DeletedDate && !includeDeleted) continue;
        yield {
          name: entry.Name,
          store: STORE,
          arn: entry.ARN,
          description: entry.Description,
          lastChanged: entry.LastChangedDate ?? entry.CreatedDate,
          tags: tagMap(entry.Tags),
          deletionDate: entry.DeletedDate,
        };
      }
      token = page.NextToken;
    } while (token);
  }

  async describe(name: string): Promise<SecretSummary | undefined> {
    try {
      const secret = await this.client.send(new DescribeSecretCommand({ SecretId: name }));
      return {
        name: secret.Name ?? name,
        store: STORE,
        arn: secret.ARN,
        description: secret.Description,
        lastChanged: secret.LastChangedDate ?? secret.CreatedDate,
        tags: tagMap(secret.Tags),
        deletionDate: secret.DeletedDate,
      };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw translate(error, name, STORE);
    }
  }

  async versions(name: string): Promise<SecretVersion[]> {
    const versions: SecretVersion[] = [];
    let token: string | undefined;
    do {
      const page = await forSecret(name, STORE, () =>
        this.client.send(
          new ListSecretVersionIdsCommand({ SecretId: name, IncludeDeprecated: true, MaxResults: SECRETS_MANAGER_LIMITS.listPage, NextToken: token }),
        ),
      );
      for (const version of page.Versions ?? []) {
        if (version.VersionId) versions.push({ id: version.VersionId, stages: version.VersionStages ?? [], created: version.CreatedDate });
      }
      token = page.NextToken;
    } while (token);
    return newestFirst(versions);
  }

  async read(name: string, selector: VersionSelector = {}): Promise<SecretValue | undefined> {
    // Version numbers are SSM's: no Secrets Manager version has one.
    if (selector.version !== undefined) return undefined;
    let versionId = selector.versionId;
    let stage = selector.stage ?? selector.label;
    if (selector.back !== undefined && selector.back > 0) {
      if (selector.back === 1) {
        stage = "AWSPREVIOUS";
      } else {
        const versions = await this.versions(name).catch((error: Error) => {
          if (isNotFound(error.cause ?? error)) return [];
          throw error;
        });
        const target = versionBack(versions, selector.back);
        if (!target) return undefined;
        versionId = target.id;
      }
    }
    try {
      const result = await this.client.send(new GetSecretValueCommand({ SecretId: name, VersionId: versionId, VersionStage: stage }));
      return toSecretValue(name, result);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw translate(error, name, STORE);
    }
  }

  async readMany(names: readonly string[]): Promise<Map<string, SecretValue>> {
    const unique = [...new Set(names)];
    if (!this.singleReads) {
      try {
        return await this.batchRead(unique);
      } catch (error) {
        if (!batchGetUnavailable(error)) throw error;
        this.singleReads = true;
        noteSingleReads(error);
      }
    }
    const values = new Map<string, SecretValue>();
    for (const name of unique) {
      const value = await this.read(name);
      if (value) values.set(name, value);
    }
    return values;
  }

  private async batchRead(unique: readonly string[]): Promise<Map<string, SecretValue>> {
    const values = new Map<string, SecretValue>();
    for (let start = 0; start < unique.length; start += SECRETS_MANAGER_LIMITS.batchGet) {
      const batch = unique.slice(start, start + SECRETS_MANAGER_LIMITS.batchGet);
      let token: string | undefined;
      do {
        const page = await this.client.send(new BatchGetSecretValueCommand({ SecretIdList: batch, NextToken: token }));
        for (const entry of page.SecretValues ?? []) {
          const name = batch.find((id) => id === entry.Name || id === entry.ARN) ?? entry.Name;
          if (name) values.set(name, toSecretValue(name, entry));
        }
        for (const failure of page.Errors ?? []) {
          const name = failure.SecretId ?? "?";
          const error = Object.assign(new Error(failure.Message ?? failure.ErrorCode ?? "error"), { name: failure.ErrorCode ?? "Error" });
          if (isNotFound(error)) continue;
          if (isScheduledForDeletion(error)) throw scheduledError(name, error);
          throw translate(error, name, STORE);
        }
        token = page.NextToken;
      } while (token);
    }
    return values;
  }

  async write(name: string, value: string, options: WriteOptions = {}): Promise<WriteResult> {
    checkSecretsManagerWrite(name, value, options);
    if (!options.onlyUpdate) {
      const created = await this.create(name, value, options);
      if (created) return created;
    }
    const put = await forSecret(name, STORE, () =>
      this.client.send(new PutSecretValueCommand({ SecretId: name, SecretString: value, ClientRequestToken: options.clientRequestToken })),
    );
    return { versionId: put.VersionId ?? "", created: false };
  }

  /** CreateSecret; undefined when the secret exists already (and a put may follow). */
  private async create(name: string, value: string, options: WriteOptions): Promise<WriteResult | undefined> {
    try {
      const created = await this.client.send(
        new CreateSecretCommand({
          Name: name,
          SecretString: value,
          ClientRequestToken: options.clientRequestToken,
          Description: options.description,
          KmsKeyId: options.kmsKeyId,
          Tags: options.tags ? Object.entries(options.tags).map(([Key, Value]) => ({ Key, Value })) : undefined,
        }),
      );
      return { versionId: created.VersionId ?? "", created: true };
    } catch (error) {
      if (options.onlyCreate || awsErrorName(error) !== "ResourceExistsException") throw translate(error, name, STORE);
      return undefined;
    }
  }

  async delete(name: string, options: DeleteOptions = {}): Promise<void> {
    const { recoveryDays, force } = options;
    if (force && recoveryDays !== undefined) throw inputError("choose a recovery window or force deletion, not both");
    if (recoveryDays !== undefined) checkRecoveryDays(recoveryDays);
    const send = (window?: number) =>
      this.client.send(new DeleteSecretCommand({ SecretId: name, ...(force && window === undefined ? { ForceDeleteWithoutRecovery: true } : { RecoveryWindowInDays: window }) }));
    try {
      await send(force ? undefined : recoveryDays);
      return;
    } catch (error) {
      if (deletedByLostReply(error, force)) return;
      // AWS force-deletes a scheduled secret directly; some emulators refuse: restore, then force-delete.
      if (!force || awsErrorName(error) !== "InvalidRequestException") throw translate(error, name, STORE);
    }
    await forSecret(name, STORE, () => this.client.send(new RestoreSecretCommand({ SecretId: name })));
    try {
      await send();
    } catch (error) {
      if (deletedByLostReply(error, true)) return;
      // Restored but not deleted: schedule it again before reporting, so it ends no more alive than it was found.
      // AWS does not report the original window: the shortest one keeps the deletion soonest.
      const again = await send(SECRETS_MANAGER_LIMITS.recoveryDaysMin).then(
        () => `scheduled for deletion again in ${SECRETS_MANAGER_LIMITS.recoveryDaysMin} days`,
        (reschedule: unknown) => `and scheduling it again failed too, it is live now: ${messageOf(reschedule)}`,
      );
      const reason = translate(error, name, STORE);
      throw remoteError(`force delete of "${name}" after restoring it failed (${messageOf(reason)}); ${again}`, { cause: error });
    }
  }

  async restore(name: string): Promise<void> {
    await forSecret(name, STORE, () => this.client.send(new RestoreSecretCommand({ SecretId: name })));
  }
}

/** Size and name checks before any call. */
export function checkSecretsManagerWrite(name: string, value: string, options: WriteOptions): void {
  const problems = validateSecretsManagerName(name);
  if (problems.length > 0) throw inputError(`invalid secret name "${name}": ${problems[0]}`);
  const bytes = Buffer.byteLength(value, "utf8");
  if (bytes === 0) throw inputError(`the value for "${name}" is empty`);
  if (bytes > SECRETS_MANAGER_LIMITS.valueBytes) {
    throw inputError(`the value for "${name}" is ${bytes} bytes; Secrets Manager takes at most ${SECRETS_MANAGER_LIMITS.valueBytes}`);
  }
  const token = options.clientRequestToken;
  if (token !== undefined && (token.length < 32 || token.length > 64)) {
    throw inputError(`client request token for "${name}" must be 32 to 64 characters (got ${token.length})`);
  }
}

export function checkRecoveryDays(days: number): void {
  const { recoveryDaysMin: min, recoveryDaysMax: max } = SECRETS_MANAGER_LIMITS;
  if (!Number.isInteger(days) || days < min || days > max) throw inputError(`the recovery window is ${min} to ${max} days (got ${days})`);
}

function toSecretValue(
  name: string,
  entry: { Name?: string; VersionId?: string; SecretString?: string; SecretBinary?: Uint8Array; VersionStages?: string[] },
): SecretValue {
  const binary = entry.SecretString === undefined && entry.SecretBinary !== undefined;
  return {
    name: entry.Name ?? name,
    store: STORE,
    value: binary ? Buffer.from(entry.SecretBinary as Uint8Array).toString("base64") : (entry.SecretString ?? ""),
    versionId: entry.VersionId ?? "",
    stages: entry.VersionStages ?? [],
    ...(binary ? { binary: true } : {}),
  };
}

function tagMap(tags: Tag[] | undefined): Record<string, string> {
  return Object.fromEntries((tags ?? []).filter((tag) => tag.Key !== undefined).map((tag) => [tag.Key as string, tag.Value ?? ""]));
}

/**
 * Newest first by creation date; where dates tie (stores keeping whole seconds), AWSCURRENT
 * before AWSPREVIOUS before the rest, and then the store's own order, which lists older
 * versions first.
 */
function newestFirst(versions: SecretVersion[]): SecretVersion[] {
  const rank = (version: SecretVersion) => (version.stages.includes("AWSCURRENT") ? 0 : version.stages.includes("AWSPREVIOUS") ? 1 : 2);
  return versions
    .map((version, index) => ({ version, index }))
    .sort(
      (a, b) =>
        (b.version.created?.getTime() ?? -Infinity) - (a.version.created?.getTime() ?? -Infinity) || rank(a.version) - rank(b.version) || b.index - a.index,
    )
    .map(({ version }) => version);
}

/** The version `back` places older than AWSCURRENT, by creation date. */
function versionBack(versions: SecretVersion[], back: number): SecretVersion | undefined {
  const current = versions.findIndex((version) => version.stages.includes("AWSCURRENT"));
  return current < 0 ? undefined : versions[current + back];
}

/** A retried delete that finds the secret gone (force) or already scheduled had its first reply lost: it is done. */
function deletedByLostReply(error: unknown, force: boolean | undefined): boolean {
  if (!wasRetried(error)) return false;
  return force ? isNotFound(error) : isScheduledForDeletion(error);
}

/** Older emulators do not know BatchGetSecretValue, and policies may grant GetSecretValue only. */
function batchGetUnavailable(error: unknown): boolean {
  const name = awsErrorName(error);
  return name === "UnknownOperationException" || name === "AccessDeniedException" || name === "InvalidAction" || isNotAwsAnswer(error);
}

let notedSingleReads = false;

function noteSingleReads(error: unknown): void {
  if (notedSingleReads) return;
  notedSingleReads = true;
  const why = isNotAwsAnswer(error) ? "not served" : awsErrorName(error) === "AccessDeniedException" ? "denied" : "unknown";
  process.stderr.write(`note: BatchGetSecretValue is ${why} here: reading secrets one at a time (GetSecretValue)\n`);
}
