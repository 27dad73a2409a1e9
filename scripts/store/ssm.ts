/** AWS Systems Manager Parameter Store behind the `SecretStore` interface; new parameters are SecureString unless a type is given. */
import type * as Sdk from "@aws-sdk/client-ssm";
import type { ParameterMetadata, SSMClient } from "@aws-sdk/client-ssm";
import { commandsOf, lazyClient, type LazyClient } from "../aws/lazy-sdk.ts";
import { inputError } from "../../core/errors.ts";
import { validateSsmName } from "../../core/naming.ts";
import { awsErrorName, forSecret, isNotFound, translate, wasRetried } from "./errors.ts";
import type {
  DeleteManyResult,
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
const DeleteParameterCommand = command("DeleteParameterCommand");
const DeleteParametersCommand = command("DeleteParametersCommand");
const DescribeParametersCommand = command("DescribeParametersCommand");
const GetParameterCommand = command("GetParameterCommand");
const GetParameterHistoryCommand = command("GetParameterHistoryCommand");
const GetParametersCommand = command("GetParametersCommand");
const ListTagsForResourceCommand = command("ListTagsForResourceCommand");
const PutParameterCommand = command("PutParameterCommand");

export const SSM_LIMITS = {
  standardBytes: 4_096,
  advancedBytes: 8_192,
  getMany: 10,
  deleteMany: 10,
  describePage: 50,
  historyPage: 50,
} as const;

const STORE = "ssm" as const;

export class SsmStore implements SecretStore {
  readonly kind = STORE;

  private readonly client: LazyClient;

  constructor(client: SSMClient | (() => Promise<SSMClient>)) {
    this.client = lazyClient(client, () => import("@aws-sdk/client-ssm"));
  }

  async *list(options: ListOptions = {}): AsyncIterable<SecretSummary> {
    const { prefix, withTags } = options;
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new DescribeParametersCommand({
          MaxResults: SSM_LIMITS.describePage,
          NextToken: token,
          ParameterFilters: prefix ? [{ Key: "Name", Option: "BeginsWith", Values: [prefix] }] : undefined,
        }),
      );
      for (const parameter of page.Parameters ?? []) {
        if (!parameter.Name || (prefix && !parameter.Name.startsWith(prefix))) continue;
        yield { ...toSummary(parameter), tags: withTags ? await this.tags(parameter.Name) : {} };
      }
      token = page.NextToken;
    } while (token);
  }

  /** Metadata only: tags cost a call per parameter here, so they come from `list({ withTags })`. */
  async describe(name: string): Promise<SecretSummary | undefined> {
    const page = await forSecret(name, STORE, () =>
      this.client.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: "Name", Option: "Equals", Values: [name] }] })),
    );
    const parameter = page.Parameters?.find((candidate) => candidate.Name === name);
    return parameter ? toSummary(parameter) : undefined;
  }

  async versions(name: string): Promise<SecretVersion[]> {
    const versions: SecretVersion[] = [];
    let token: string | undefined;
    do {
      const page = await forSecret(name, STORE, () =>
        this.client.send(new GetParameterHistoryCommand({ Name: name, WithDecryption: false, MaxResults: SSM_LIMITS.historyPage, NextToken: token })),
      );
      for (const entry of page.Parameters ?? []) {
        if (entry.Version !== undefined) versions.push({ id: String(entry.Version), stages: entry.Labels ?? [], created: entry.LastModifiedDate });
      }
      token = page.NextToken;
    } while (token);
    return versions.sort((a, b) => Number(b.id) - Number(a.id));
  }

  async read(name: string, selector: VersionSelector = {}): Promise<SecretValue | undefined> {
    try {
      const qualifier = await this.qualifier(name, selector);
      if (qualifier === null) return undefined;
      const result = await this.client.send(new GetParameterCommand({ Name: qualifier ? `${name}:${qualifier}` : name, WithDecryption: true }));
      const parameter = result.Parameter;
      if (!parameter) return undefined;
      return {
        name,
        store: STORE,
        value: parameter.Value ?? "",
        versionId: String(parameter.Version ?? ""),
        stages: qualifier && !/^\d+$/.test(qualifier) ? [qualifier] : [],
      };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw translate(error, name, STORE);
    }
  }

  async readMany(names: readonly string[]): Promise<Map<string, SecretValue>> {
    const values = new Map<string, SecretValue>();
    const unique = [...new Set(names)];
    for (let start = 0; start < unique.length; start += SSM_LIMITS.getMany) {
      const batch = unique.slice(start, start + SSM_LIMITS.getMany);
      const result = await this.client.send(new GetParametersCommand({ Names: batch, WithDecryption: true }));
      for (const parameter of result.Parameters ?? []) {
        if (!parameter.Name) continue;
        values.set(parameter.Name, { name: parameter.Name, store: STORE, value: parameter.Value ?? "", versionId: String(parameter.Version ?? ""), stages: [] });
      }
    }
    return values;
  }

  async write(name: string, value: string, options: WriteOptions = {}): Promise<WriteResult> {
    const tier = checkSsmWrite(name, value, options);
    // An overwrite that names no type or tier keeps the parameter's own: a String stays String, Advanced stays Advanced.
    const typeFor = (overwrite: boolean) => (overwrite ? options.type : (options.type ?? "SecureString"));
    const put = (overwrite: boolean, baseVersion?: number, keepTier?: "Advanced") =>
      this.client.send(
        singleWrite(new PutParameterCommand({
          Name: name,
          Value: value,
          Type: typeFor(overwrite),
          KeyId: typeFor(overwrite) === "SecureString" ? options.kmsKeyId : undefined,
          Tier: keepTier ?? (overwrite && options.tier === undefined && tier === "Standard" ? undefined : tier),
          Description: options.description,
          // SSM refuses tags together with Overwrite: tags are set on creation only.
          ...(overwrite
            ? { Overwrite: true }
            : { Tags: options.tags ? Object.entries(options.tags).map(([Key, Value]) => ({ Key, Value })) : undefined }),
        }), () => this.read(name), value, baseVersion),
      );
    if (!options.onlyUpdate) {
      try {
        const created = await put(false);
        return { versionId: String(created.Version ?? 1), created: true };
      } catch (error) {
        if (options.onlyCreate || awsErrorName(error) !== "ParameterAlreadyExists") throw translate(error, name, STORE);
      }
    }
    // PutParameter has no idempotency token: a parameter that already holds the value gets no new version.
    // A caller that has just read it (the migrate diff, `secrets update`) says so, and the read is not repeated.
    let baseVersion = options.onlyUpdate && options.baseVersionId !== undefined && /^\d+$/.test(options.baseVersionId) ? Number(options.baseVersionId) : undefined;
    if (baseVersion === undefined) {
      const current = await this.read(name);
      if (current?.value === value) return { versionId: current.versionId, created: false };
      baseVersion = current ? Number(current.versionId) : undefined;
    }
    const updated = await forSecret(name, STORE, async () => {
      try {
        return await put(true, baseVersion);
      } catch (error) {
        // Should an overwrite without a tier fall back to the account's default tier, an Advanced parameter refuses it: name its tier.
        if (options.tier === undefined && isTierDowngrade(error)) return put(true, baseVersion, "Advanced");
        throw error;
      }
    });
    return { versionId: String(updated.Version ?? ""), created: false };
  }

  async delete(name: string, options: DeleteOptions = {}): Promise<void> {
    if (options.recoveryDays !== undefined) throw inputError(`SSM parameters have no recovery window: "${name}" would be deleted at once`);
    try {
      await this.client.send(new DeleteParameterCommand({ Name: name }));
    } catch (error) {
      // A retry that finds nothing: the first attempt deleted it and its reply was lost.
      if (isNotFound(error) && wasRetried(error)) return;
      throw translate(error, name, STORE);
    }
  }

  async deleteMany(names: readonly string[], options: DeleteOptions = {}): Promise<DeleteManyResult> {
    if (options.recoveryDays !== undefined) throw inputError("SSM parameters have no recovery window");
    const result: DeleteManyResult = { deleted: [], failed: [] };
    for (let start = 0; start < names.length; start += SSM_LIMITS.deleteMany) {
      const batch = names.slice(start, start + SSM_LIMITS.deleteMany);
      try {
        const response = await this.client.send(new DeleteParametersCommand({ Names: [...batch] }));
        result.deleted.push(...(response.DeletedParameters ?? []));
        // After a lost reply, the retry finds the names the first attempt deleted missing: they are deleted.
        if (wasRetried(response)) result.deleted.push(...(response.InvalidParameters ?? []));
        else for (const name of response.InvalidParameters ?? []) result.failed.push({ name, error: inputError(`parameter "${name}" not found`) });
      } catch (error) {
        for (const name of batch) result.failed.push({ name, error: error as Error });
      }
    }
    return result;
  }

  async restore(name: string): Promise<void> {
    throw inputError(`"${name}" is an SSM parameter: SSM deletes at once and has nothing to restore`);
  }

  private async tags(name: string): Promise<Record<string, string>> {
    const result = await forSecret(name, STORE, () => this.client.send(new ListTagsForResourceCommand({ ResourceType: "Parameter", ResourceId: name })));
    return Object.fromEntries((result.TagList ?? []).filter((tag) => tag.Key !== undefined).map((tag) => [tag.Key as string, tag.Value ?? ""]));
  }

  /**
   * The `name:QUALIFIER` suffix GetParameter takes (a version number or a label), "" for
   * the current version, or null when the selected version does not exist.
   */
  private async qualifier(name: string, selector: VersionSelector): Promise<string | null> {
    if (selector.version !== undefined) return String(selector.version);
    if (selector.versionId !== undefined) {
      // Secrets Manager version ids are not SSM versions.
      return /^\d+$/.test(selector.versionId) ? selector.versionId : null;
    }
    const label = selector.label ?? selector.stage;
    let back = selector.back ?? 0;
    if (label === "AWSPREVIOUS") back = Math.max(back, 1);
    else if (label !== undefined && label !== "AWSCURRENT") return label;
    if (back <= 0) return "";
    const current = await this.client.send(new GetParameterCommand({ Name: name, WithDecryption: false }));
    const version = (current.Parameter?.Version ?? 0) - back;
    return version >= 1 ? String(version) : null;
  }
}

/** Size and name checks before any call; returns the tier. */
export function checkSsmWrite(name: string, value: string, options: WriteOptions): "Standard" | "Advanced" {
  const problems = validateSsmName(name);
  if (problems.length > 0) throw inputError(`invalid parameter name "${name}": ${problems[0]}`);
  const bytes = Buffer.byteLength(value, "utf8");
  if (bytes === 0) throw inputError(`the value for "${name}" is empty`);
  const tier = options.tier ?? (bytes > SSM_LIMITS.standardBytes ? "Advanced" : "Standard");
  const limit = tier === "Advanced" ? SSM_LIMITS.advancedBytes : SSM_LIMITS.standardBytes;
  if (bytes > limit) {
    const advice = tier === "Standard" ? ` (Advanced: ${SSM_LIMITS.advancedBytes})` : "; use Secrets Manager (65,536)";
    throw inputError(`the value for "${name}" is ${bytes} bytes; SSM ${tier} parameters take at most ${limit}${advice}`);
  }
  return tier;
}

function toSummary(parameter: ParameterMetadata): SecretSummary {
  return {
    name: parameter.Name ?? "",
    store: STORE,
    arn: parameter.ARN,
    description: parameter.Description,
    lastChanged: parameter.LastModifiedDate,
    tags: {},
    type: parameter.Type,
    tier: parameter.Tier,
  };
}

type Next = (args: unknown) => Promise<{ output: unknown; response: unknown }>;
interface CommandWithStack {
  middlewareStack: { add(middleware: (next: Next) => Next, options: { step: "finalizeRequest"; priority: "low"; name: string }): void };
}

/**
 * Makes the SDK's retries of one PutParameter safe: before each retry, the parameter is
 * read, and when an earlier attempt already stored `value` (a version newer than
 * `baseVersion`), its reply was lost: that version is the answer and nothing is sent again.
 * Runs inside the SDK's retry loop, so it sees every attempt.
 */
function singleWrite<T extends object>(command: T, read: () => Promise<SecretValue | undefined>, value: string, baseVersion: number | undefined): T {
  let attempts = 0;
  (command as unknown as CommandWithStack).middlewareStack.add(
    (next) => async (args) => {
      attempts += 1;
      if (attempts > 1) {
        const current = await read();
        if (current?.value === value && (baseVersion === undefined || Number(current.versionId) > baseVersion)) {
          return { output: { Version: Number(current.versionId), $metadata: {} }, response: {} };
        }
      }
      return next(args);
    },
    { step: "finalizeRequest", priority: "low", name: "vaultliftSingleWrite" },
  );
  return command;
}

function isTierDowngrade(error: unknown): boolean {
  return awsErrorName(error) === "ValidationException" && /downgrade a parameter from the advanced/i.test((error as Error).message);
}
