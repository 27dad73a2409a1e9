/**
 * SSM Parameter Store, in memory: parameters with a 100-version history, labels, tiers,
 * SecureString with a KMS key id, tags, and the name rules of the real service. Names
 * are kept in a sorted array too, so path queries and paging cost a binary search and
 * the walk over the matching names, not a scan of the whole store.
 */
import { createHash } from "node:crypto";
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

type ParameterType = "String" | "StringList" | "SecureString";
type Tier = "Standard" | "Advanced";

interface Tag {
  Key: string;
  Value: string;
}

interface ParameterVersion {
  version: number;
  value: string;
  type: ParameterType;
  keyId?: string;
  description?: string;
  allowedPattern?: string;
  tier: Tier;
  dataType: string;
  policies: string[];
  modified: number;
  labels: string[];
}

interface Parameter {
  name: string;
  arn: string;
  /** Oldest first; at most 100. */
  history: ParameterVersion[];
  tags: Tag[];
}

const TYPES: readonly string[] = ["String", "StringList", "SecureString"];
const STANDARD_MAX_BYTES = 4096;
const ADVANCED_MAX_BYTES = 8192;
const MAX_VERSIONS = 100;
const MAX_LEVELS = 15;
const MAX_NAME = 1011;
const MAX_LABELS_PER_VERSION = 10;
const DEFAULT_KEY_ID = "alias/aws/ssm";
const USER = `arn:aws:iam::${ACCOUNT_ID}:root`;

const parameterNotFound = (name: string) => new AwsError("ParameterNotFound", `Parameter ${name} not found.`);
const invalidNextToken = () => new AwsError("InvalidNextToken", "The specified token isn't valid.");

export class ParameterStore {
  private readonly parameters = new Map<string, Parameter>();
  /** Every name, sorted by UTF-16 code units. */
  private readonly names: string[] = [];

  get size(): number {
    return this.parameters.size;
  }

  clear(): void {
    this.parameters.clear();
    this.names.length = 0;
  }

  handle(operation: string, input: Input, ctx: RequestContext): unknown {
    switch (operation) {
      case "PutParameter":
        return this.putParameter(input, ctx);
      case "GetParameter":
        return this.getParameter(input);
      case "GetParameters":
        return this.getParameters(input);
      case "GetParametersByPath":
        return this.getParametersByPath(input);
      case "GetParameterHistory":
        return this.getParameterHistory(input);
      case "DescribeParameters":
        return this.describeParameters(input);
      case "DeleteParameter":
        return this.deleteParameter(input);
      case "DeleteParameters":
        return this.deleteParameters(input);
      case "LabelParameterVersion":
        return this.labelParameterVersion(input);
      case "UnlabelParameterVersion":
        return this.unlabelParameterVersion(input);
      case "AddTagsToResource":
        return this.addTags(input);
      case "RemoveTagsFromResource":
        return this.removeTags(input);
      case "ListTagsForResource":
        return this.listTags(input);
      default:
        throw new AwsError("UnknownOperationException", `AmazonSSM.${operation} is not supported by the local endpoint`);
    }
  }

  private putParameter(input: Input, ctx: RequestContext) {
    const name = requiredString(input, "Name");
    checkName(name);
    const value = requiredString(input, "Value");
    checkLength("Value", value, 1, ADVANCED_MAX_BYTES);
    const typeInput = optionalString(input, "Type");
    if (typeInput !== undefined && !TYPES.includes(typeInput)) {
      throw validationError(`Value '${typeInput}' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [SecureString, StringList, String]`);
    }
    const overwrite = optionalBoolean(input, "Overwrite") ?? false;
    const tags = readTags(input);
    const tierInput = optionalString(input, "Tier");
    if (tierInput !== undefined && !["Standard", "Advanced", "Intelligent-Tiering"].includes(tierInput)) {
      throw validationError(`Value '${tierInput}' at 'tier' failed to satisfy constraint: Member must satisfy enum value set: [Standard, Advanced, Intelligent-Tiering]`);
    }
    const policies = optionalString(input, "Policies");
    const description = optionalString(input, "Description");
    checkLength("Description", description, 0, 1024);
    const allowedPattern = optionalString(input, "AllowedPattern");
    checkLength("AllowedPattern", allowedPattern, 0, 1024);
    const dataType = optionalString(input, "DataType") ?? "text";
    if (!["text", "aws:ec2:image", "aws:ssm:integration"].includes(dataType)) {
      throw new AwsError("ValidationException", `The following data type is not supported: ${dataType} (Data type names are all lowercase.)`);
    }
    const existing = this.parameters.get(name);
    if (existing && !overwrite) {
      throw new AwsError("ParameterAlreadyExists", "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.");
    }
    if (existing && tags.length > 0) {
      throw new AwsError(
        "ValidationException",
        "Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.",
      );
    }
    const latest = existing?.history[existing.history.length - 1];
    if (!typeInput && !latest) throw new AwsError("ValidationException", "A parameter type is required when you create a parameter.");
    const type = (typeInput ?? latest?.type) as ParameterType;
    let keyId = optionalString(input, "KeyId");
    if (keyId !== undefined && type !== "SecureString") {
      throw new AwsError("ValidationException", "KeyId is only valid for parameters of type SecureString.");
    }
    if (type === "SecureString") keyId ??= (latest?.type === "SecureString" ? latest.keyId : undefined) ?? DEFAULT_KEY_ID;
    const bytes = Buffer.byteLength(value, "utf8");
    let tier: Tier;
    if (tierInput === "Advanced" || tierInput === "Standard") tier = tierInput;
    else if (tierInput === "Intelligent-Tiering") tier = bytes > STANDARD_MAX_BYTES || policies !== undefined || latest?.tier === "Advanced" ? "Advanced" : "Standard";
    else tier = latest?.tier ?? "Standard";
    if (latest?.tier === "Advanced" && tier === "Standard") {
      throw new AwsError(
        "ValidationException",
        "This parameter uses the advanced-parameter tier. You can't downgrade a parameter from the advanced-parameter tier to the standard-parameter tier. If necessary, you can delete the advanced parameter and recreate it as a standard parameter.",
      );
    }
    if (bytes > ADVANCED_MAX_BYTES) {
      throw validationError(`Value at 'value' failed to satisfy constraint: Member must have length less than or equal to ${ADVANCED_MAX_BYTES}`);
    }
    if (tier === "Standard" && bytes > STANDARD_MAX_BYTES) {
      throw new AwsError(
        "ValidationException",
        "Standard tier parameters support a maximum parameter value of 4096 characters. To create a larger parameter value, upgrade the parameter to use the advanced-parameter tier. For more information, see https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html",
      );
    }
    if (policies !== undefined && tier !== "Advanced") {
      throw new AwsError("ValidationException", "Parameter policies are only supported for advanced parameters.");
    }
    if (allowedPattern !== undefined && !new RegExp(allowedPattern).test(value)) {
      throw new AwsError("ParameterPatternMismatchException", `Parameter value failed to satisfy constraint specified by AllowedPattern: ${allowedPattern}`);
    }
    const parameter = existing ?? { name, arn: parameterArn(ctx.region, name), history: [], tags };
    if (parameter.history.length >= MAX_VERSIONS) {
      const oldest = parameter.history[0] as ParameterVersion;
      if (oldest.labels.length > 0) {
        throw new AwsError(
          "ParameterMaxVersionLimitExceeded",
          `You attempted to create a new version of ${name} by calling the PutParameter API with the overwrite flag. Version ${oldest.version}, the oldest version, can't be deleted because it has a label associated with it. Move the label to another version of the parameter, and try again.`,
        );
      }
      parameter.history.shift();
    }
    const version: ParameterVersion = {
      version: (latest?.version ?? 0) + 1,
      value,
      type,
      ...(keyId !== undefined ? { keyId } : {}),
      description: description ?? latest?.description,
      allowedPattern: allowedPattern ?? latest?.allowedPattern,
      tier,
      dataType,
      policies: policies !== undefined ? [policies] : (latest?.policies ?? []),
      modified: ctx.now,
      labels: [],
    };
    parameter.history.push(version);
    if (!existing) this.insert(parameter);
    return { Version: version.version, Tier: tier };
  }

  private getParameter(input: Input) {
    const selector = requiredString(input, "Name");
    const found = this.select(selector);
    if (!found) throw parameterNotFound(selector);
    return { Parameter: this.entry(found.parameter, found.version, optionalBoolean(input, "WithDecryption") ?? false, found.selector) };
  }

  private getParameters(input: Input) {
    const names = optionalStringList(input, "Names") ?? [];
    if (names.length < 1 || names.length > 10) {
      throw validationError(`Value '[${names.join(", ")}]' at 'names' failed to satisfy constraint: Member must have length ${names.length < 1 ? "greater than or equal to 1" : "less than or equal to 10"}`);
    }
    const decrypt = optionalBoolean(input, "WithDecryption") ?? false;
    const parameters: unknown[] = [];
    const invalid: string[] = [];
    for (const selector of new Set(names)) {
      let found: Selected | undefined;
      try {
        found = this.select(selector);
      } catch (error) {
        if (!(error instanceof AwsError) || error.type !== "ParameterVersionNotFound") throw error;
      }
      if (found) parameters.push(this.entry(found.parameter, found.version, decrypt, found.selector));
      else invalid.push(selector);
    }
    return { Parameters: parameters, InvalidParameters: invalid };
  }

  private getParametersByPath(input: Input) {
    const path = requiredString(input, "Path");
    checkLength("Path", path, 1, 2048);
    if (!path.startsWith("/")) throw new AwsError("ValidationException", `The parameter doesn't meet the parameter name requirements. The parameter name must begin with a forward slash "/". Parameter name: ${path}`);
    if (path.split("/").filter(Boolean).length > MAX_LEVELS) {
      throw new AwsError("HierarchyLevelLimitExceededException", "A hierarchy can have a maximum of 15 levels.");
    }
    const recursive = optionalBoolean(input, "Recursive") ?? false;
    const maxResults = optionalNumber(input, "MaxResults");
    checkRange("MaxResults", maxResults, 1, 10);
    const filters = (optionalObjectList(input, "ParameterFilters") ?? []).map((filter) => parseParameterFilter(filter, "GetParametersByPath"));
    const decrypt = optionalBoolean(input, "WithDecryption") ?? false;
    const prefix = path.endsWith("/") ? path : `${path}/`;
    const inPath = (name: string) => recursive || !name.slice(prefix.length).includes("/");
    const page = this.walk(prefix, maxResults ?? 10, optionalString(input, "NextToken"), (parameter) => inPath(parameter.name) && filters.every((matches) => matches(parameter)));
    return {
      Parameters: page.parameters.map((parameter) => this.entry(parameter, latestOf(parameter), decrypt)),
      ...(page.nextToken ? { NextToken: page.nextToken } : {}),
    };
  }

  private getParameterHistory(input: Input) {
    const name = requiredString(input, "Name");
    const parameter = this.resolve(name);
    if (!parameter) throw parameterNotFound(name);
    const maxResults = optionalNumber(input, "MaxResults");
    checkRange("MaxResults", maxResults, 1, 50);
    const decrypt = optionalBoolean(input, "WithDecryption") ?? false;
    const after = decodeToken(optionalString(input, "NextToken"), invalidNextToken);
    const start = after === undefined ? 0 : parameter.history.findIndex((version) => version.version > Number(after));
    const limit = maxResults ?? 50;
    const slice = start < 0 ? [] : parameter.history.slice(start, start + limit);
    const last = slice[slice.length - 1];
    const more = start >= 0 && start + limit < parameter.history.length;
    return {
      Parameters: slice.map((version) => ({
        Name: parameter.name,
        Type: version.type,
        ...(version.keyId !== undefined ? { KeyId: version.keyId } : {}),
        LastModifiedDate: epochSeconds(version.modified),
        LastModifiedUser: USER,
        ...(version.description !== undefined ? { Description: version.description } : {}),
        Value: shownValue(version, decrypt),
        ...(version.allowedPattern !== undefined ? { AllowedPattern: version.allowedPattern } : {}),
        Version: version.version,
        Labels: [...version.labels],
        Tier: version.tier,
        Policies: version.policies.map((text) => ({ PolicyText: text, PolicyType: "Expiration", PolicyStatus: "Pending" })),
        DataType: version.dataType,
      })),
      ...(more && last ? { NextToken: encodeToken(String(last.version)) } : {}),
    };
  }

  private describeParameters(input: Input) {
    const maxResults = optionalNumber(input, "MaxResults");
    checkRange("MaxResults", maxResults, 1, 50);
    const legacy = (optionalObjectList(input, "Filters") ?? []).map(parseLegacyFilter);
    const filters = (optionalObjectList(input, "ParameterFilters") ?? []).map((filter) => parseParameterFilter(filter, "DescribeParameters"));
    if (legacy.length > 0 && filters.length > 0) {
      throw new AwsError("InvalidFilterKey", "You can use either Filters or ParameterFilters in a single request, but not both.");
    }
    const page = this.walk("", maxResults ?? 10, optionalString(input, "NextToken"), (parameter) => [...legacy, ...filters].every((matches) => matches(parameter)));
    return {
      Parameters: page.parameters.map((parameter) => {
        const latest = latestOf(parameter);
        return {
          Name: parameter.name,
          ARN: parameter.arn,
          Type: latest.type,
          ...(latest.keyId !== undefined ? { KeyId: latest.keyId } : {}),
          LastModifiedDate: epochSeconds(latest.modified),
          LastModifiedUser: USER,
          ...(latest.description !== undefined ? { Description: latest.description } : {}),
          ...(latest.allowedPattern !== undefined ? { AllowedPattern: latest.allowedPattern } : {}),
          Version: latest.version,
          Tier: latest.tier,
          Policies: latest.policies.map((text) => ({ PolicyText: text, PolicyType: "Expiration", PolicyStatus: "Pending" })),
          DataType: latest.dataType,
        };
      }),
      ...(page.nextToken ? { NextToken: page.nextToken } : {}),
    };
  }

  private deleteParameter(input: Input) {
    const name = requiredString(input, "Name");
    const parameter = this.parameters.get(name);
    if (!parameter) throw parameterNotFound(name);
    this.remove(parameter);
    return {};
  }

  private deleteParameters(input: Input) {
    const names = optionalStringList(input, "Names") ?? [];
    if (names.length < 1 || names.length > 10) {
      throw validationError(`Value '[${names.join(", ")}]' at 'names' failed to satisfy constraint: Member must have length ${names.length < 1 ? "greater than or equal to 1" : "less than or equal to 10"}`);
    }
    const deleted: string[] = [];
    const invalid: string[] = [];
    for (const name of new Set(names)) {
      const parameter = this.parameters.get(name);
      if (parameter) {
        this.remove(parameter);
        deleted.push(name);
      } else {
        invalid.push(name);
      }
    }
    return { DeletedParameters: deleted, InvalidParameters: invalid };
  }

  private labelParameterVersion(input: Input) {
    const name = requiredString(input, "Name");
    const parameter = this.resolve(name);
    if (!parameter) throw parameterNotFound(name);
    const labels = optionalStringList(input, "Labels") ?? [];
    if (labels.length < 1 || labels.length > 10) throw validationError("Value at 'labels' failed to satisfy constraint: Member must have length less than or equal to 10");
    const version = this.versionOf(parameter, optionalNumber(input, "ParameterVersion"));
    const invalid = labels.filter((label) => !isValidLabel(label));
    const valid = [...new Set(labels.filter(isValidLabel))];
    const added = valid.filter((label) => !version.labels.includes(label));
    if (version.labels.length + added.length > MAX_LABELS_PER_VERSION) {
      throw new AwsError("ParameterVersionLabelLimitExceeded", "A parameter version can have maximum 10 labels. Move one or more labels to another version and try again.");
    }
    for (const other of parameter.history) {
      if (other !== version) other.labels = other.labels.filter((label) => !added.includes(label));
    }
    version.labels.push(...added);
    return { InvalidLabels: invalid, ParameterVersion: version.version };
  }

  private unlabelParameterVersion(input: Input) {
    const name = requiredString(input, "Name");
    const parameter = this.resolve(name);
    if (!parameter) throw parameterNotFound(name);
    const number = optionalNumber(input, "ParameterVersion");
    if (number === undefined) throw validationError("Value null at 'parameterVersion' failed to satisfy constraint: Member must not be null");
    const version = this.versionOf(parameter, number);
    const labels = optionalStringList(input, "Labels") ?? [];
    const removed = labels.filter((label) => version.labels.includes(label));
    version.labels = version.labels.filter((label) => !labels.includes(label));
    return { RemovedLabels: removed, InvalidLabels: labels.filter((label) => !removed.includes(label)) };
  }

  private addTags(input: Input) {
    const parameter = this.tagTarget(input);
    for (const tag of readTags(input)) {
      const existing = parameter.tags.find((t) => t.Key === tag.Key);
      if (existing) existing.Value = tag.Value;
      else parameter.tags.push(tag);
    }
    if (parameter.tags.length > 50) throw new AwsError("TooManyTagsError", "The Targets parameter includes too many tags. Remove one or more tags and try the command again.");
    return {};
  }

  private removeTags(input: Input) {
    const parameter = this.tagTarget(input);
    const keys = new Set(optionalStringList(input, "TagKeys") ?? []);
    parameter.tags = parameter.tags.filter((tag) => !keys.has(tag.Key));
    return {};
  }

  private listTags(input: Input) {
    return { TagList: this.tagTarget(input).tags.map((tag) => ({ ...tag })) };
  }

  private tagTarget(input: Input): Parameter {
    const type = requiredString(input, "ResourceType");
    if (type !== "Parameter") throw new AwsError("InvalidResourceType", `The local endpoint only tags resources of type Parameter, not ${type}.`);
    const id = requiredString(input, "ResourceId");
    const parameter = this.resolve(id);
    if (!parameter) throw new AwsError("InvalidResourceId", "The resource ID isn't valid. Verify that you entered the correct ID and try again.");
    return parameter;
  }

  /** A plain name or a parameter ARN. */
  private resolve(nameOrArn: string): Parameter | undefined {
    const direct = this.parameters.get(nameOrArn);
    if (direct) return direct;
    const match = /^arn:[^:]+:ssm:[^:]*:[^:]*:parameter(\/.+)$/.exec(nameOrArn);
    if (!match) return undefined;
    const path = match[1] as string;
    return this.parameters.get(path) ?? this.parameters.get(path.slice(1));
  }

  /** `name`, `name:version` or `name:label` (or the same with an ARN). */
  private select(selector: string): Selected | undefined {
    const colon = selector.lastIndexOf(":");
    const whole = this.resolve(selector);
    if (whole || colon < 0) return whole ? { parameter: whole, version: latestOf(whole) } : undefined;
    const parameter = this.resolve(selector.slice(0, colon));
    if (!parameter) return undefined;
    const suffix = selector.slice(colon + 1);
    if (/^\d+$/.test(suffix)) {
      const version = parameter.history.find((v) => v.version === Number(suffix));
      if (!version) {
        throw new AwsError("ParameterVersionNotFound", `Systems Manager could not find version ${suffix} of ${parameter.name}. Verify the version and try again.`);
      }
      return { parameter, version, selector: `:${suffix}` };
    }
    const version = parameter.history.find((v) => v.labels.includes(suffix));
    return version ? { parameter, version, selector: `:${suffix}` } : undefined;
  }

  private versionOf(parameter: Parameter, number: number | undefined): ParameterVersion {
    if (number === undefined) return latestOf(parameter);
    const version = parameter.history.find((v) => v.version === number);
    if (!version) {
      throw new AwsError("ParameterVersionNotFound", `Systems Manager could not find version ${number} of ${parameter.name}. Verify the version and try again.`);
    }
    return version;
  }

  private entry(parameter: Parameter, version: ParameterVersion, decrypt: boolean, selector?: string) {
    return {
      Name: parameter.name,
      Type: version.type,
      Value: shownValue(version, decrypt),
      Version: version.version,
      ...(selector !== undefined ? { Selector: selector } : {}),
      LastModifiedDate: epochSeconds(version.modified),
      ARN: parameter.arn,
      DataType: version.dataType,
    };
  }

  /** Pages through the sorted names that start with `prefix`; the token is the last name returned. */
  private walk(prefix: string, limit: number, token: string | undefined, matches: (parameter: Parameter) => boolean) {
    const after = decodeToken(token, invalidNextToken);
    let index = after === undefined ? lowerBound(this.names, prefix) : upperBound(this.names, after);
    const parameters: Parameter[] = [];
    let more = false;
    for (; index < this.names.length; index += 1) {
      const name = this.names[index] as string;
      if (!name.startsWith(prefix)) break;
      const parameter = this.parameters.get(name) as Parameter;
      if (!matches(parameter)) continue;
      if (parameters.length === limit) {
        more = true;
        break;
      }
      parameters.push(parameter);
    }
    const last = parameters[parameters.length - 1];
    return { parameters, nextToken: more && last ? encodeToken(last.name) : undefined };
  }

  private insert(parameter: Parameter): void {
    this.parameters.set(parameter.name, parameter);
    this.names.splice(lowerBound(this.names, parameter.name), 0, parameter.name);
  }

  private remove(parameter: Parameter): void {
    this.parameters.delete(parameter.name);
    const index = lowerBound(this.names, parameter.name);
    if (this.names[index] === parameter.name) this.names.splice(index, 1);
  }
}

interface Selected {
  parameter: Parameter;
  version: ParameterVersion;
  selector?: string;
}

function latestOf(parameter: Parameter): ParameterVersion {
  return parameter.history[parameter.history.length - 1] as ParameterVersion;
}

function parameterArn(region: string, name: string): string {
  return `arn:aws:ssm:${region}:${ACCOUNT_ID}:parameter${name.startsWith("/") ? name : `/${name}`}`;
}

/** Without WithDecryption a SecureString shows ciphertext, never the value. */
function shownValue(version: ParameterVersion, decrypt: boolean): string {
  if (version.type !== "SecureString" || decrypt) return version.value;
  const digest = createHash("sha256").update(`${version.keyId}\0${version.version}\0${version.value}`).digest("base64");
  return `AQICAH${digest}`;
}

function checkName(name: string): void {
  checkLength("Name", name, 1, 2048);
  if (name.length > MAX_NAME) throw new AwsError("ValidationException", `Parameter name must be at most ${MAX_NAME} characters.`);
  const bare = name.startsWith("/") ? name.slice(1) : name;
  if (/^(aws|ssm)/i.test(bare)) throw new AwsError("ValidationException", 'Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive).');
  if (!/^[A-Za-z0-9_.\-/]+$/.test(name) || bare.split("/").some((segment) => segment === "")) {
    throw new AwsError(
      "ValidationException",
      'Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive). If formed as a path, it can consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_',
    );
  }
  if (name.includes("/") && !name.startsWith("/")) throw new AwsError("ValidationException", "Parameter name must be a fully qualified name.");
  if (bare.split("/").length > MAX_LEVELS) {
    throw new AwsError(
      "HierarchyLevelLimitExceededException",
      "A hierarchy can have a maximum of 15 levels. For more information, see https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-su-create.html",
    );
  }
}

function isValidLabel(label: string): boolean {
  return label.length >= 1 && label.length <= 100 && /^[A-Za-z0-9_.-]+$/.test(label) && !/^(aws|ssm)/i.test(label) && !/^\d/.test(label);
}

function readTags(input: Input): Tag[] {
  return (optionalObjectList(input, "Tags") ?? []).map((tag) => {
    if (typeof tag.Key !== "string" || typeof tag.Value !== "string") throw validationError("Value null at 'tags.member.key' failed to satisfy constraint: Member must not be null");
    checkLength("Tags.Key", tag.Key, 1, 128);
    checkLength("Tags.Value", tag.Value, 0, 256);
    return { Key: tag.Key, Value: tag.Value };
  });
}

type Matcher = (parameter: Parameter) => boolean;

/** ParameterStringFilter: Name, Type, KeyId, Tier, DataType, Path, Label and tag:KEY. */
function parseParameterFilter(filter: Input, operation: "GetParametersByPath" | "DescribeParameters"): Matcher {
  const key = typeof filter.Key === "string" ? filter.Key : "";
  const option = typeof filter.Option === "string" ? filter.Option : undefined;
  const values = Array.isArray(filter.Values) ? filter.Values.filter((value): value is string => typeof value === "string") : [];
  const latest = latestOf;
  const compare = (actual: string | undefined, defaultOption = "Equals") => {
    const how = option ?? defaultOption;
    if (!["Equals", "BeginsWith", "Contains"].includes(how)) throw new AwsError("InvalidFilterOption", `The filter option ${how} isn't valid for key ${key}.`);
    if (actual === undefined) return false;
    return values.some((value) => (how === "Equals" ? actual === value : how === "BeginsWith" ? actual.startsWith(value) : actual.includes(value)));
  };
  if (key.startsWith("tag:")) {
    const tagKey = key.slice(4);
    return (parameter) => {
      const tag = parameter.tags.find((t) => t.Key === tagKey);
      return tag !== undefined && (values.length === 0 || compare(tag.Value));
    };
  }
  if (operation === "GetParametersByPath" && (key === "Name" || key === "Path")) {
    throw new AwsError("InvalidFilterKey", `The following filter key is not valid: ${key}. Valid filter keys include: [Type, KeyId, Label, tag:...].`);
  }
  switch (key) {
    case "Name":
      return (parameter) => {
        if (option === "Contains") return compare(parameter.name);
        // Name filters treat a leading slash as optional.
        const bare = parameter.name.replace(/^\//, "");
        return values.some((value) => {
          const wanted = value.replace(/^\//, "");
          return (option ?? "Equals") === "BeginsWith" ? bare.startsWith(wanted) : bare === wanted;
        });
      };
    case "Type":
      return (parameter) => compare(latest(parameter).type);
    case "KeyId":
      return (parameter) => compare(latest(parameter).keyId);
    case "Tier":
      return (parameter) => compare(latest(parameter).tier);
    case "DataType":
      return (parameter) => compare(latest(parameter).dataType);
    case "Label":
      return (parameter) => parameter.history.some((version) => version.labels.some((label) => values.includes(label)));
    case "Path": {
      const recursive = option === "Recursive";
      if (option !== undefined && option !== "Recursive" && option !== "OneLevel") throw new AwsError("InvalidFilterOption", `The filter option ${option} isn't valid for key Path.`);
      return (parameter) =>
        values.some((value) => {
          const prefix = value.endsWith("/") ? value : `${value}/`;
          if (!parameter.name.startsWith(prefix) && !(value === "/" && !parameter.name.startsWith("/"))) return false;
          const rest = parameter.name.startsWith(prefix) ? parameter.name.slice(prefix.length) : parameter.name;
          return recursive || !rest.includes("/");
        });
    }
    default:
      throw new AwsError("InvalidFilterKey", `The following filter key is not valid: ${key}.`);
  }
}

/** The older ParametersFilter of DescribeParameters: Name (prefix), Type, KeyId. */
function parseLegacyFilter(filter: Input): Matcher {
  const key = typeof filter.Key === "string" ? filter.Key : "";
  const values = Array.isArray(filter.Values) ? filter.Values.filter((value): value is string => typeof value === "string") : [];
  switch (key) {
    case "Name":
      return (parameter) => values.some((value) => parameter.name.startsWith(value));
    case "Type":
      return (parameter) => values.includes(latestOf(parameter).type);
    case "KeyId":
      return (parameter) => values.includes(latestOf(parameter).keyId ?? "");
    default:
      throw validationError(`Value '${key}' at 'filters.1.member.key' failed to satisfy constraint: Member must satisfy enum value set: [Type, KeyId, Name]`);
  }
}

function lowerBound(sorted: string[], value: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((sorted[mid] as string) < value) low = mid + 1;
    else high = mid;
  }
  return low;
}

function upperBound(sorted: string[], value: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((sorted[mid] as string) <= value) low = mid + 1;
    else high = mid;
  }
  return low;
}
