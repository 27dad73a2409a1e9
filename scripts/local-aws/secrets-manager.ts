/**
 * Secrets Manager, in memory: secrets with versions and staging labels, deletion
 * scheduling, tags and resource policies, answering like the real service
 * (API reference 2017-10-17). One store serves every region; an ARN carries the region
 * of the request that created the secret. Lookups by name and ARN are O(1).
 */
import { randomBytes, randomInt, randomUUID } from "node:crypto";
import {
  ACCOUNT_ID,
  AwsError,
  checkLength,
  checkRange,
  decodeToken,
  encodeToken,
  epochSeconds,
  optionalBoolean,
  optionalNumber,
  optionalObjectList,
  optionalString,
  optionalStringList,
  requiredString,
  validationError,
  type Input,
  type RequestContext,
} from "./protocol.ts";

export interface SecretsManagerQuirks {
  refuseForceDeleteOfScheduled: boolean;
  /** Version CreatedDate in whole seconds, as some stores keep it: versions made within a second tie. */
  wholeSecondTimes?: boolean;
}

interface Tag {
  Key: string;
  Value: string;
}

interface SecretVersion {
  id: string;
  secretString?: string;
  secretBinary?: string;
  created: number;
  lastAccessed?: number;
}

interface Secret {
  seq: number;
  arn: string;
  name: string;
  description?: string;
  kmsKeyId?: string;
  tags: Tag[];
  created: number;
  lastChanged: number;
  lastAccessed?: number;
  /** Set while the secret is scheduled for deletion. */
  deletedDate?: number;
  purgeAt?: number;
  versions: Map<string, SecretVersion>;
  /** Staging label to version id. */
  stages: Map<string, string>;
  policy?: string;
  replicas: { Region: string; KmsKeyId?: string; Status: string; StatusMessage: string }[];
}

const CURRENT = "AWSCURRENT";
const PREVIOUS = "AWSPREVIOUS";
const NAME_CHARSET = /^[A-Za-z0-9/_+=.@-]+$/;
const MAX_VALUE_BYTES = 65_536;
const MAX_DEPRECATED_VERSIONS = 100;
const DAY_MS = 86_400_000;
const PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

const notFound = () => new AwsError("ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
const markedForDeletion = () => new AwsError("InvalidRequestException", "You can't perform this operation on the secret because it was marked for deletion.");

export class SecretsManager {
  private readonly byName = new Map<string, Secret>();
  private readonly byArn = new Map<string, Secret>();
  /** Every secret in creation order (ascending seq), for paging without a scan; removed ones are skipped, then compacted. */
  private ordered: Secret[] = [];
  private removed = 0;
  private seq = 0;

  constructor(private readonly quirks: SecretsManagerQuirks) {}

  /** Number of secrets held, scheduled ones included. */
  get size(): number {
    return this.byName.size;
  }

  clear(): void {
    this.byName.clear();
    this.byArn.clear();
    this.ordered = [];
    this.removed = 0;
  }

  handle(operation: string, input: Input, ctx: RequestContext): unknown {
    switch (operation) {
      case "CreateSecret":
        return this.createSecret(input, ctx);
      case "PutSecretValue":
        return this.putSecretValue(input, ctx);
      case "UpdateSecret":
        return this.updateSecret(input, ctx);
      case "GetSecretValue":
        return this.getSecretValue(input, ctx);
      case "BatchGetSecretValue":
        return this.batchGetSecretValue(input, ctx);
      case "DescribeSecret":
        return this.describeSecret(input, ctx);
      case "ListSecrets":
        return this.listSecrets(input, ctx);
      case "ListSecretVersionIds":
        return this.listSecretVersionIds(input, ctx);
      case "DeleteSecret":
        return this.deleteSecret(input, ctx);
      case "RestoreSecret":
        return this.restoreSecret(input, ctx);
      case "TagResource":
        return this.tagResource(input, ctx);
      case "UntagResource":
        return this.untagResource(input, ctx);
      case "UpdateSecretVersionStage":
        return this.updateSecretVersionStage(input, ctx);
      case "GetRandomPassword":
        return this.getRandomPassword(input);
      case "PutResourcePolicy":
        return this.putResourcePolicy(input, ctx);
      case "GetResourcePolicy":
        return this.getResourcePolicy(input, ctx);
      case "DeleteResourcePolicy":
        return this.deleteResourcePolicy(input, ctx);
      case "ValidateResourcePolicy":
        return this.validateResourcePolicy(input);
      default:
        throw new AwsError("UnknownOperationException", `secretsmanager.${operation} is not supported by the local endpoint`);
    }
  }

  private createSecret(input: Input, ctx: RequestContext) {
    const name = requiredString(input, "Name");
    checkLength("Name", name, 1, 512);
    if (!NAME_CHARSET.test(name)) {
      throw new AwsError("InvalidParameterException", "Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!");
    }
    const description = optionalString(input, "Description");
    checkLength("Description", description, 0, 2048);
    const value = readValue(input);
    const token = readToken(input);
    const tags = readTags(input);
    const existing = this.lookup(name, ctx);
    if (existing) {
      if (existing.deletedDate !== undefined) {
        throw new AwsError("InvalidRequestException", "You can't create this secret because a secret with this name is already scheduled for deletion.");
      }
      const version = token ? existing.versions.get(token) : undefined;
      if (version && value) {
        if (!sameValue(version, value)) throw new AwsError("ResourceExistsException", "You can't modify an existing version, you can only create a new version.");
        return { ARN: existing.arn, Name: existing.name, VersionId: version.id };
      }
      throw new AwsError("ResourceExistsException", `The operation failed because the secret ${name} already exists.`);
    }
    const secret: Secret = {
      seq: ++this.seq,
      arn: `arn:aws:secretsmanager:${ctx.region}:${ACCOUNT_ID}:secret:${name}-${randomSuffix()}`,
      name,
      description,
      kmsKeyId: optionalString(input, "KmsKeyId"),
      tags,
      created: ctx.now,
      lastChanged: ctx.now,
      versions: new Map(),
      stages: new Map(),
      replicas: (optionalObjectList(input, "AddReplicaRegions") ?? []).map((replica) => ({
        Region: String(replica.Region),
        ...(typeof replica.KmsKeyId === "string" ? { KmsKeyId: replica.KmsKeyId } : {}),
        Status: "InSync",
        StatusMessage: "Replication succeeded",
      })),
    };
    let versionId: string | undefined;
    if (value) versionId = this.addVersion(secret, value, token ?? randomUUID(), undefined, ctx).id;
    this.byName.set(name, secret);
    this.byArn.set(secret.arn, secret);
    this.ordered.push(secret);
    return { ARN: secret.arn, Name: name, ...(versionId ? { VersionId: versionId } : {}), ...(secret.replicas.length > 0 ? { ReplicationStatus: secret.replicas } : {}) };
  }

  private putSecretValue(input: Input, ctx: RequestContext) {
    const secret = this.live(requiredString(input, "SecretId"), ctx);
    const value = readValue(input);
    if (!value) throw new AwsError("InvalidRequestException", "You must provide either SecretString or SecretBinary.");
    const stages = optionalStringList(input, "VersionStages");
    if (stages) for (const stage of stages) checkLength("VersionStages", stage, 1, 256);
    const version = this.writeVersion(secret, value, readToken(input) ?? randomUUID(), stages, ctx);
    return { ARN: secret.arn, Name: secret.name, VersionId: version.id, VersionStages: this.stagesOf(secret, version.id) };
  }

  private updateSecret(input: Input, ctx: RequestContext) {
    const secret = this.live(requiredString(input, "SecretId"), ctx);
    const description = optionalString(input, "Description");
    checkLength("Description", description, 0, 2048);
    const value = readValue(input);
    const token = readToken(input);
    if (description !== undefined) secret.description = description;
    const kmsKeyId = optionalString(input, "KmsKeyId");
    if (kmsKeyId !== undefined) secret.kmsKeyId = kmsKeyId;
    secret.lastChanged = ctx.now;
    const version = value ? this.writeVersion(secret, value, token ?? randomUUID(), undefined, ctx) : undefined;
    return { ARN: secret.arn, Name: secret.name, ...(version ? { VersionId: version.id } : {}) };
  }

  private getSecretValue(input: Input, ctx: RequestContext) {
    const secret = this.live(requiredString(input, "SecretId"), ctx);
    const version = this.selectVersion(secret, optionalString(input, "VersionId"), optionalString(input, "VersionStage"));
    return this.valueEntry(secret, version, ctx);
  }

  private batchGetSecretValue(input: Input, ctx: RequestContext) {
    const ids = optionalStringList(input, "SecretIdList");
    const filters = optionalObjectList(input, "Filters");
    const maxResults = optionalNumber(input, "MaxResults");
    if ((ids === undefined) === (filters === undefined)) {
      throw new AwsError("InvalidParameterException", "Either SecretIdList or Filters must be provided, but not both.");
    }
    if (ids) {
      if (ids.length < 1 || ids.length > 20) {
        throw validationError(`Value at 'secretIdList' failed to satisfy constraint: Member must have length ${ids.length < 1 ? "greater than or equal to 1" : "less than or equal to 20"}`);
      }
      if (maxResults !== undefined) throw new AwsError("InvalidParameterException", "MaxResults can only be used with Filters.");
      const values: unknown[] = [];
      const errors: unknown[] = [];
      for (const id of ids) {
        try {
          const secret = this.live(id, ctx);
          values.push(this.valueEntry(secret, this.selectVersion(secret, undefined, undefined), ctx));
        } catch (error) {
          if (!(error instanceof AwsError)) throw error;
          errors.push({ SecretId: id, ErrorCode: error.type, Message: error.message });
        }
      }
      return { SecretValues: values, Errors: errors };
    }
    checkRange("MaxResults", maxResults, 1, 20);
    const page = this.page(filters ?? [], false, maxResults ?? 20, optionalString(input, "NextToken"), ctx);
    const values = page.secrets.filter((secret) => secret.stages.has(CURRENT)).map((secret) => this.valueEntry(secret, this.selectVersion(secret, undefined, undefined), ctx));
    return { SecretValues: values, Errors: [], ...(page.nextToken ? { NextToken: page.nextToken } : {}) };
  }

  private describeSecret(input: Input, ctx: RequestContext) {
    const secret = this.find(requiredString(input, "SecretId"), ctx);
    const entry = this.metadata(secret);
    const { SecretVersionsToStages: versions, ...rest } = entry;
    return { ...rest, VersionIdsToStages: versions };
  }

  private listSecrets(input: Input, ctx: RequestContext) {
    const maxResults = optionalNumber(input, "MaxResults");
    checkRange("MaxResults", maxResults, 1, 100);
    const sortOrder = optionalString(input, "SortOrder");
    if (sortOrder !== undefined && sortOrder !== "asc" && sortOrder !== "desc") {
      throw validationError(`Value '${sortOrder}' at 'sortOrder' failed to satisfy constraint: Member must satisfy enum value set: [asc, desc]`);
    }
    const page = this.page(
      optionalObjectList(input, "Filters") ?? [],
      optionalBoolean(input, "IncludePlannedDeletion") ?? false,
      maxResults ?? 100,
      optionalString(input, "NextToken"),
      ctx,
      sortOrder === "desc",
    );
    return { SecretList: page.secrets.map((secret) => this.metadata(secret)), ...(page.nextToken ? { NextToken: page.nextToken } : {}) };
  }

  private listSecretVersionIds(input: Input, ctx: RequestContext) {
    const secret = this.find(requiredString(input, "SecretId"), ctx);
    const maxResults = optionalNumber(input, "MaxResults");
    checkRange("MaxResults", maxResults, 1, 100);
    const includeDeprecated = optionalBoolean(input, "IncludeDeprecated") ?? false;
    const after = decodeToken(optionalString(input, "NextToken"), invalidNextToken);
    const all = [...secret.versions.values()].filter((version) => includeDeprecated || this.stagesOf(secret, version.id).length > 0);
    const start = after === undefined ? 0 : all.findIndex((version) => version.id === after) + 1;
    const limit = maxResults ?? 100;
    const slice = all.slice(start, start + limit);
    const last = slice[slice.length - 1];
    return {
      ARN: secret.arn,
      Name: secret.name,
      Versions: slice.map((version) => ({
        VersionId: version.id,
        VersionStages: this.stagesOf(secret, version.id),
        CreatedDate: this.quirks.wholeSecondTimes ? Math.floor(version.created / 1000) : epochSeconds(version.created),
        ...(version.lastAccessed !== undefined ? { LastAccessedDate: epochSeconds(version.lastAccessed) } : {}),
        KmsKeyIds: [secret.kmsKeyId ?? "DefaultEncryptionKey"],
      })),
      ...(start + limit < all.length && last ? { NextToken: encodeToken(last.id) } : {}),
    };
  }

  private deleteSecret(input: Input, ctx: RequestContext) {
    const secret = this.find(requiredString(input, "SecretId"), ctx);
    const window = optionalNumber(input, "RecoveryWindowInDays");
    const force = optionalBoolean(input, "ForceDeleteWithoutRecovery") ?? false;
    if (force && window !== undefined) {
      throw new AwsError("InvalidParameterException", "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.");
    }
    if (window !== undefined && (!Number.isInteger(window) || window < 7 || window > 30)) {
      throw new AwsError("InvalidParameterException", "The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).");
    }
    if (secret.deletedDate !== undefined && (!force || this.quirks.refuseForceDeleteOfScheduled)) {
      throw new AwsError("InvalidRequestException", "You tried to perform the operation on a secret that's currently marked deleted.");
    }
    if (force) {
      this.remove(secret);
      return { ARN: secret.arn, Name: secret.name, DeletionDate: epochSeconds(ctx.now) };
    }
    secret.deletedDate = ctx.now;
    secret.purgeAt = ctx.now + (window ?? 30) * DAY_MS;
    secret.lastChanged = ctx.now;
    return { ARN: secret.arn, Name: secret.name, DeletionDate: epochSeconds(secret.purgeAt) };
  }

  private restoreSecret(input: Input, ctx: RequestContext) {
    const secret = this.find(requiredString(input, "SecretId"), ctx);
    delete secret.deletedDate;
    delete secret.purgeAt;
    secret.lastChanged = ctx.now;
    return { ARN: secret.arn, Name: secret.name };
  }

  private tagResource(input: Input, ctx: RequestContext) {
    const secret = this.find(requiredString(input, "SecretId"), ctx);
    const tags = readTags(input);
    for (const tag of tags) {
      const existing = secret.tags.find((t) => t.Key === tag.Key);
      if (existing) existing.Value = tag.Value;
      else secret.tags.push(tag);
    }
    if (secret.tags.length > 50) throw new AwsError("LimitExceededException", "A secret can have at most 50 tags.");
    secret.lastChanged = ctx.now;
    return {};
  }

  private untagResource(input: Input, ctx: RequestContext) {
    const secret = this.find(requiredString(input, "SecretId"), ctx);
    const keys = new Set(optionalStringList(input, "TagKeys") ?? []);
    secret.tags = secret.tags.filter((tag) => !keys.has(tag.Key));
    secret.lastChanged = ctx.now;
    return {};
  }

  private updateSecretVersionStage(input: Input, ctx: RequestContext) {
    const secret = this.find(requiredString(input, "SecretId"), ctx);
    const stage = requiredString(input, "VersionStage");
    checkLength("VersionStage", stage, 1, 256);
    const removeFrom = optionalString(input, "RemoveFromVersionId");
    const moveTo = optionalString(input, "MoveToVersionId");
    const holder = secret.stages.get(stage);
    for (const id of [removeFrom, moveTo]) {
      if (id !== undefined && !secret.versions.has(id)) throw new AwsError("ResourceNotFoundException", `Secrets Manager can't find the specified secret value for VersionId: ${id}`);
    }
    if (removeFrom !== undefined && holder !== removeFrom) {
      throw new AwsError("InvalidParameterException", `The staging label ${stage} is not attached to version ${removeFrom}.`);
    }
    if (moveTo !== undefined && holder !== undefined && holder !== moveTo && removeFrom === undefined) {
      throw new AwsError(
        "InvalidParameterException",
        `The staging label ${stage} is currently attached to version ${holder}, so you must explicitly reference that version in RemoveFromVersionId.`,
      );
    }
    if (moveTo === undefined && removeFrom === undefined) {
      throw new AwsError("InvalidParameterException", "You must specify RemoveFromVersionId, MoveToVersionId or both.");
    }
    if (moveTo !== undefined && moveTo !== holder) {
      if (stage === CURRENT && holder !== undefined) secret.stages.set(PREVIOUS, holder);
      secret.stages.set(stage, moveTo);
    } else if (moveTo === undefined) {
      secret.stages.delete(stage);
    }
    secret.lastChanged = ctx.now;
    this.trimDeprecated(secret);
    return { ARN: secret.arn, Name: secret.name };
  }

  private getRandomPassword(input: Input) {
    const length = optionalNumber(input, "PasswordLength") ?? 32;
    checkRange("PasswordLength", length, 1, 4096);
    const exclude = new Set(optionalString(input, "ExcludeCharacters") ?? "");
    const keep = (chars: string) => [...chars].filter((char) => !exclude.has(char)).join("");
    const classes = [
      optionalBoolean(input, "ExcludeUppercase") ? "" : keep("ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
      optionalBoolean(input, "ExcludeLowercase") ? "" : keep("abcdefghijklmnopqrstuvwxyz"),
      optionalBoolean(input, "ExcludeNumbers") ? "" : keep("0123456789"),
      optionalBoolean(input, "ExcludePunctuation") ? "" : keep(PUNCTUATION),
      optionalBoolean(input, "IncludeSpace") ? keep(" ") : "",
    ].filter((chars) => chars.length > 0);
    if (classes.length === 0) throw new AwsError("InvalidParameterException", "The password must contain at least one character type.");
    const requireEach = optionalBoolean(input, "RequireEachIncludedType") ?? true;
    if (requireEach && length < classes.length) {
      throw new AwsError("InvalidParameterException", `The password length must be at least ${classes.length} to include each character type.`);
    }
    const all = classes.join("");
    const chars = Array.from({ length }, () => all.charAt(randomInt(all.length)));
    if (requireEach) {
      const slots = shuffle(Array.from({ length }, (_, index) => index)).slice(0, classes.length);
      classes.forEach((set, index) => {
        chars[slots[index] as number] = set.charAt(randomInt(set.length));
      });
    }
    return { RandomPassword: chars.join("") };
  }

  private putResourcePolicy(input: Input, ctx: RequestContext) {
    const secret = this.find(requiredString(input, "SecretId"), ctx);
    const policy = requiredString(input, "ResourcePolicy");
    checkLength("ResourcePolicy", policy, 1, 20_480);
    checkPolicy(policy);
    if ((optionalBoolean(input, "BlockPublicPolicy") ?? true) && grantsPublicAccess(policy)) {
      throw new AwsError("PublicPolicyException", "The BlockPublicPolicy parameter is set to true, and the resource policy did not prevent broad access to the secret.");
    }
    secret.policy = policy;
    secret.lastChanged = ctx.now;
    return { ARN: secret.arn, Name: secret.name };
  }

  private getResourcePolicy(input: Input, ctx: RequestContext) {
    const secret = this.find(requiredString(input, "SecretId"), ctx);
    return { ARN: secret.arn, Name: secret.name, ...(secret.policy !== undefined ? { ResourcePolicy: secret.policy } : {}) };
  }

  private deleteResourcePolicy(input: Input, ctx: RequestContext) {
    const secret = this.find(requiredString(input, "SecretId"), ctx);
    delete secret.policy;
    secret.lastChanged = ctx.now;
    return { ARN: secret.arn, Name: secret.name };
  }

  private validateResourcePolicy(input: Input) {
    checkPolicy(requiredString(input, "ResourcePolicy"));
    return { PolicyValidationPassed: true, ValidationErrors: [] };
  }

  /** Finds a secret by name, full ARN or partial ARN (without the 6-character suffix). */
  private lookup(id: string, ctx: RequestContext): Secret | undefined {
    let secret = this.byArn.get(id) ?? this.byName.get(id);
    if (!secret && id.startsWith("arn:")) {
      const match = /^arn:[^:]+:secretsmanager:[^:]*:[^:]*:secret:(.+)$/.exec(id);
      if (match) secret = this.byName.get(match[1] as string);
    }
    if (secret?.purgeAt !== undefined && secret.purgeAt <= ctx.now) {
      this.remove(secret);
      return undefined;
    }
    return secret;
  }

  private find(id: string, ctx: RequestContext): Secret {
    checkLength("SecretId", id, 1, 2048);
    const secret = this.lookup(id, ctx);
    if (!secret) throw notFound();
    return secret;
  }

  /** A secret that is not scheduled for deletion. */
  private live(id: string, ctx: RequestContext): Secret {
    const secret = this.find(id, ctx);
    if (secret.deletedDate !== undefined) throw markedForDeletion();
    return secret;
  }

  private remove(secret: Secret): void {
    if (this.byArn.get(secret.arn) !== secret) return;
    this.byName.delete(secret.name);
    this.byArn.delete(secret.arn);
    this.removed += 1;
    if (this.removed > 1000 && this.removed > this.ordered.length / 2) {
      this.ordered = this.ordered.filter((candidate) => this.byArn.get(candidate.arn) === candidate);
      this.removed = 0;
    }
  }

  /** PutSecretValue semantics: the token makes the write idempotent. */
  private writeVersion(secret: Secret, value: SecretValue, token: string, stages: string[] | undefined, ctx: RequestContext): SecretVersion {
    const existing = secret.versions.get(token);
    if (existing) {
      if (!sameValue(existing, value)) throw new AwsError("ResourceExistsException", "You can't modify an existing version, you can only create a new version.");
      return existing;
    }
    return this.addVersion(secret, value, token, stages, ctx);
  }

  private addVersion(secret: Secret, value: SecretValue, id: string, stages: string[] | undefined, ctx: RequestContext): SecretVersion {
    const version: SecretVersion = { id, ...value, created: ctx.now };
    secret.versions.set(id, version);
    const labels = stages ?? [CURRENT];
    for (const label of labels) {
      const holder = secret.stages.get(label);
      if (label === CURRENT && holder !== undefined && holder !== id) secret.stages.set(PREVIOUS, holder);
      secret.stages.set(label, id);
    }
    secret.lastChanged = ctx.now;
    this.trimDeprecated(secret);
    return version;
  }

  /** Versions without a label are deprecated; AWS keeps about 100 of them. */
  private trimDeprecated(secret: Secret): void {
    const labelled = new Set(secret.stages.values());
    let deprecated = secret.versions.size - labelled.size;
    if (deprecated <= MAX_DEPRECATED_VERSIONS) return;
    for (const id of secret.versions.keys()) {
      if (deprecated <= MAX_DEPRECATED_VERSIONS) break;
      if (labelled.has(id)) continue;
      secret.versions.delete(id);
      deprecated -= 1;
    }
  }

  private stagesOf(secret: Secret, versionId: string): string[] {
    const stages: string[] = [];
    for (const [stage, id] of secret.stages) if (id === versionId) stages.push(stage);
    return stages;
  }

  private selectVersion(secret: Secret, versionId: string | undefined, stage: string | undefined): SecretVersion {
    checkLength("VersionId", versionId, 32, 64);
    if (versionId !== undefined) {
      const version = secret.versions.get(versionId);
      if (!version) throw new AwsError("ResourceNotFoundException", `Secrets Manager can't find the specified secret value for VersionId: ${versionId}`);
      if (stage !== undefined && secret.stages.get(stage) !== versionId) {
        throw new AwsError("InvalidParameterException", `The staging label ${stage} is not attached to version ${versionId}.`);
      }
      return version;
    }
    const label = stage ?? CURRENT;
    const id = secret.stages.get(label);
    const version = id === undefined ? undefined : secret.versions.get(id);
    if (!version) throw new AwsError("ResourceNotFoundException", `Secrets Manager can't find the specified secret value for staging label: ${label}`);
    return version;
  }

  private valueEntry(secret: Secret, version: SecretVersion, ctx: RequestContext) {
    const day = Math.floor(ctx.now / DAY_MS) * DAY_MS;
    version.lastAccessed = day;
    secret.lastAccessed = day;
    return {
      ARN: secret.arn,
      Name: secret.name,
      VersionId: version.id,
      ...(version.secretString !== undefined ? { SecretString: version.secretString } : {}),
      ...(version.secretBinary !== undefined ? { SecretBinary: version.secretBinary } : {}),
      VersionStages: this.stagesOf(secret, version.id),
      CreatedDate: epochSeconds(version.created),
    };
  }

  private metadata(secret: Secret) {
    const versionsToStages: Record<string, string[]> = {};
    for (const [stage, id] of secret.stages) (versionsToStages[id] ??= []).push(stage);
    return {
      ARN: secret.arn,
      Name: secret.name,
      ...(secret.description !== undefined ? { Description: secret.description } : {}),
      ...(secret.kmsKeyId !== undefined ? { KmsKeyId: secret.kmsKeyId } : {}),
      RotationEnabled: false,
      LastChangedDate: epochSeconds(secret.lastChanged),
      ...(secret.lastAccessed !== undefined ? { LastAccessedDate: epochSeconds(secret.lastAccessed) } : {}),
      ...(secret.deletedDate !== undefined ? { DeletedDate: epochSeconds(secret.deletedDate) } : {}),
      Tags: secret.tags.map((tag) => ({ ...tag })),
      SecretVersionsToStages: versionsToStages,
      CreatedDate: epochSeconds(secret.created),
      PrimaryRegion: regionOf(secret.arn),
      ...(secret.replicas.length > 0 ? { ReplicationStatus: secret.replicas } : {}),
    };
  }

  /** ListSecrets and BatchGetSecretValue paging: the token is the sequence number last returned. */
  private page(filters: Input[], includeDeleted: boolean, limit: number, token: string | undefined, ctx: RequestContext, descending = false) {
    const after = decodeToken(token, invalidNextToken);
    const afterSeq = after === undefined ? undefined : Number(after);
    if (afterSeq !== undefined && !Number.isInteger(afterSeq)) throw invalidNextToken();
    const matchers = filters.map(parseFilter);
    const secrets: Secret[] = [];
    let more = false;
    const step = descending ? -1 : 1;
    let index = afterSeq === undefined ? (descending ? this.ordered.length - 1 : 0) : this.indexAfter(afterSeq, descending);
    for (; index >= 0 && index < this.ordered.length; index += step) {
      const secret = this.ordered[index] as Secret;
      if (this.byArn.get(secret.arn) !== secret) continue;
      if (secret.purgeAt !== undefined && secret.purgeAt <= ctx.now) {
        this.remove(secret);
        continue;
      }
      if (!includeDeleted && secret.deletedDate !== undefined) continue;
      if (!matchers.every((matches) => matches(secret))) continue;
      if (secrets.length === limit) {
        more = true;
        break;
      }
      secrets.push(secret);
    }
    const last = secrets[secrets.length - 1];
    return { secrets, nextToken: more && last ? encodeToken(String(last.seq)) : undefined };
  }

  /** Where paging resumes after `seq`: the first higher seq, or (descending) the last lower one. */
  private indexAfter(seq: number, descending: boolean): number {
    const bound = (strict: boolean) => {
      let low = 0;
      let high = this.ordered.length;
      while (low < high) {
        const mid = (low + high) >>> 1;
        const at = (this.ordered[mid] as Secret).seq;
        if (strict ? at <= seq : at < seq) low = mid + 1;
        else high = mid;
      }
      return low;
    };
    return descending ? bound(false) - 1 : bound(true);
  }
}

interface SecretValue {
  secretString?: string;
  secretBinary?: string;
}

function readValue(input: Input): SecretValue | undefined {
  const secretString = optionalString(input, "SecretString");
  const secretBinary = optionalString(input, "SecretBinary");
  if (secretString !== undefined && secretBinary !== undefined) {
    throw new AwsError("InvalidParameterException", "You can't specify both a binary secret value and a string secret value in the same secret.");
  }
  if (secretString !== undefined) {
    if (Buffer.byteLength(secretString, "utf8") > MAX_VALUE_BYTES) {
      throw validationError(`Value at 'secretString' failed to satisfy constraint: Member must have length less than or equal to ${MAX_VALUE_BYTES}`);
    }
    return { secretString };
  }
  if (secretBinary !== undefined) {
    if (Buffer.from(secretBinary, "base64").length > MAX_VALUE_BYTES) {
      throw validationError(`Value at 'secretBinary' failed to satisfy constraint: Member must have length less than or equal to ${MAX_VALUE_BYTES}`);
    }
    return { secretBinary };
  }
  return undefined;
}

function readToken(input: Input): string | undefined {
  const token = optionalString(input, "ClientRequestToken");
  checkLength("ClientRequestToken", token, 32, 64);
  return token;
}

function readTags(input: Input): Tag[] {
  const tags = optionalObjectList(input, "Tags") ?? [];
  if (tags.length > 50) throw validationError("Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50");
  return tags.map((tag) => {
    if (typeof tag.Key !== "string") throw validationError("Value null at 'tags.key' failed to satisfy constraint: Member must not be null");
    checkLength("Tags.Key", tag.Key, 1, 128);
    const value = typeof tag.Value === "string" ? tag.Value : "";
    checkLength("Tags.Value", value, 0, 256);
    return { Key: tag.Key, Value: value };
  });
}

function sameValue(version: SecretVersion, value: SecretValue): boolean {
  return version.secretString === value.secretString && version.secretBinary === value.secretBinary;
}

function invalidNextToken(): AwsError {
  return new AwsError("InvalidNextTokenException", "The NextToken value is invalid.");
}

function randomSuffix(): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  return [...randomBytes(6)].map((byte) => alphabet.charAt(byte % alphabet.length)).join("");
}

function regionOf(arn: string): string {
  return arn.split(":")[3] ?? "";
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = randomInt(i + 1);
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

function checkPolicy(policy: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(policy);
  } catch {
    throw new AwsError("MalformedPolicyDocumentException", "The resource policy has syntax errors.");
  }
  if (typeof parsed !== "object" || parsed === null || !("Statement" in parsed)) {
    throw new AwsError("MalformedPolicyDocumentException", "The resource policy has syntax errors: it has no Statement.");
  }
}

/** A policy that allows `"Principal": "*"` (or `{"AWS": "*"}`) without a condition. */
function grantsPublicAccess(policy: string): boolean {
  const parsed = JSON.parse(policy) as { Statement?: unknown };
  const statements = Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement];
  return statements.some((statement) => {
    if (typeof statement !== "object" || statement === null) return false;
    const { Effect, Principal, Condition } = statement as Record<string, unknown>;
    if (Effect !== "Allow" || Condition !== undefined) return false;
    if (Principal === "*") return true;
    const aws = typeof Principal === "object" && Principal !== null ? (Principal as Record<string, unknown>).AWS : undefined;
    return aws === "*" || (Array.isArray(aws) && aws.includes("*"));
  });
}

/**
 * ListSecrets filters: values of one filter are ORed, filters are ANDed, a value starting
 * with `!` negates. name, tag-key, tag-value and primary-region are case-sensitive prefix
 * matches; description and all are not case-sensitive.
 */
function parseFilter(filter: Input): (secret: Secret) => boolean {
  const key = typeof filter.Key === "string" ? filter.Key : "";
  const values = Array.isArray(filter.Values) ? filter.Values.filter((value): value is string => typeof value === "string") : [];
  const fields: Record<string, { of: (secret: Secret) => string[]; caseSensitive: boolean }> = {
    name: { of: (secret) => [secret.name], caseSensitive: true },
    description: { of: (secret) => (secret.description === undefined ? [] : [secret.description]), caseSensitive: false },
    "tag-key": { of: (secret) => secret.tags.map((tag) => tag.Key), caseSensitive: true },
    "tag-value": { of: (secret) => secret.tags.map((tag) => tag.Value), caseSensitive: true },
    "primary-region": { of: (secret) => [regionOf(secret.arn)], caseSensitive: true },
    "owning-service": { of: () => [], caseSensitive: true },
    all: {
      of: (secret) => [secret.name, ...(secret.description === undefined ? [] : [secret.description]), ...secret.tags.flatMap((tag) => [tag.Key, tag.Value])],
      caseSensitive: false,
    },
  };
  const field = fields[key];
  if (!field) {
    throw validationError(`Value '${key}' at 'filters.1.member.key' failed to satisfy constraint: Member must satisfy enum value set: [all, name, tag-key, description, tag-value, primary-region, owning-service]`);
  }
  if (values.length === 0) throw new AwsError("InvalidParameterException", `The filter ${key} needs at least one value.`);
  const fold = (text: string) => (field.caseSensitive ? text : text.toLowerCase());
  const positive = values.filter((value) => !value.startsWith("!")).map(fold);
  const negative = values.filter((value) => value.startsWith("!")).map((value) => fold(value.slice(1)));
  return (secret) => {
    const candidates = field.of(secret).map(fold);
    if (negative.some((value) => candidates.some((candidate) => candidate.startsWith(value)))) return false;
    return positive.length === 0 || positive.some((value) => candidates.some((candidate) => candidate.startsWith(value)));
  };
}
