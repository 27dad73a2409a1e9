/**
 * The one config: `vaultlift.yaml` declares the organisation, naming, KMS key, state,
 * teams and secrets. The cdktf stacks and the CLI both load it through `loadConfig`,
 * which reports every problem with its file, line and YAML path.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { LineCounter, isMap, isNode, isPair, isScalar, parseDocument, type Document } from "yaml";
import { z } from "zod";
import { inputError } from "./errors.ts";
import { DEFAULT_SAMPLE_PATHS } from "./samples.ts";
import { DEFAULT_TEMPLATE, isValidSegment, parseTemplate, renderName, type Store, type Template } from "./naming.ts";

export { DEFAULT_CONFIG_FILE } from "./config-file.ts";
export { DEFAULT_SAMPLE_PATHS } from "./samples.ts";
export const GROUP_ROLES = ["readers", "writers", "admins", "auditors"] as const;
export type GroupRole = (typeof GROUP_ROLES)[number];
export const SECRET_KINDS = ["random", "third-party", "parameter"] as const;
export type SecretKind = (typeof SECRET_KINDS)[number];

const segment = z.string().refine(isValidSegment, { message: 'may only hold letters, digits, "_", "." and "-"' });
const accountId = z.string().regex(/^\d{12}$/, "must be a 12-digit AWS account id");
const region = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "must be an AWS region such as eu-west-1");
const arn = z.string().regex(/^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12})?:.+$/, "must be an ARN");
const tags = z.record(
  z.string().min(1).max(128).regex(/^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u, "tag keys hold letters, digits, spaces and _.:/=+-@"),
  z.string().max(256),
);

const randomSpec = z.strictObject({
  length: z.number().int().min(8).max(4096).default(32),
  upper: z.boolean().default(true),
  lower: z.boolean().default(true),
  numeric: z.boolean().default(true),
  special: z.boolean().default(true),
  minUpper: z.number().int().min(0).default(1),
  minLower: z.number().int().min(0).default(1),
  minNumeric: z.number().int().min(0).default(1),
  minSpecial: z.number().int().min(0).default(0),
  overrideSpecial: z.string().min(1).optional(),
  /** Store `{"<jsonKey>": "<password>"}` instead of the plain password. */
  jsonKey: z.string().min(1).optional(),
  /** Bump to generate a new value (write-only versions rotate on change). */
  version: z.number().int().min(1).default(1),
});

const secretSpec = z.strictObject({
  name: segment,
  team: segment,
  env: segment,
  app: segment,
  kind: z.enum(SECRET_KINDS),
  store: z.enum(["secretsmanager", "ssm"]).optional(),
  description: z.string().max(2048).optional(),
  random: randomSpec.optional(),
  /** Largest value a parameter may hold, in bytes; above 4096 the Advanced tier is used. */
  maxBytes: z.number().int().min(1).max(8192).optional(),
  tags: tags.default({}),
  rotation: z.strictObject({ lambdaArn: arn, days: z.number().int().min(1).max(1000) }).optional(),
  replicas: z.array(region).default([]),
  recoveryWindowDays: z.number().int().min(7).max(30).optional(),
  resourcePolicy: z
    .strictObject({
      allowAccounts: z.array(accountId).min(1),
      actions: z.array(z.string().regex(/^secretsmanager:[A-Za-z*]+$/)).default(["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]),
    })
    .optional(),
});

const teamSpec = z.strictObject({
  name: segment,
  groups: z.array(z.enum(GROUP_ROLES)).default([...GROUP_ROLES]),
  /** Also require the `team` tag on the resource, not only the name prefix. */
  tagConditions: z.boolean().default(false),
});

const configSchema = z.strictObject({
  org: segment,
  region,
  accountId: accountId.optional(),
  environments: z.array(segment).optional(),
  naming: z.strictObject({ template: z.string().default(DEFAULT_TEMPLATE) }).default({ template: DEFAULT_TEMPLATE }),
  kms: z.strictObject({
    alias: z.string().regex(/^alias\/[A-Za-z0-9/_-]+$/, 'must look like "alias/name"').refine((a) => !a.startsWith("alias/aws/"), "alias/aws/ is reserved for AWS"),
    admins: z.array(arn).default([]),
    deletionWindowDays: z.number().int().min(7).max(30).default(30),
  }),
  state: z.strictObject({
    bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "must be a valid S3 bucket name"),
    keyPrefix: z.string().min(1).default("vaultlift"),
    lock: z.enum(["s3", "dynamodb"]).default("s3"),
    dynamodbTable: z.string().regex(/^[A-Za-z0-9_.-]{3,255}$/).optional(),
    noncurrentVersionDays: z.number().int().min(1).default(90),
    /** Where the state stack keeps its own state: local until the bucket exists, then s3 (`cdktf deploy state --migrate-state`). */
    stackBackend: z.enum(["local", "s3"]).default("local"),
  }),
  terraform: z
    .strictObject({
      /** Ephemeral random values and write-only secret versions need Terraform >= 1.11. */
      ephemeralRandom: z.boolean().default(true),
    })
    .default({ ephemeralRandom: true }),
  teams: z.array(teamSpec).min(1),
  monitoring: z
    .strictObject({
      deletedSecretAccessAlarm: z.boolean().default(false),
      snsTopicArn: arn.optional(),
    })
    .default({ deletedSecretAccessAlarm: false }),
  scan: z
    .strictObject({
      allowPaths: z.array(z.string().min(1)).default([]),
      maxFileBytes: z.number().int().min(1).default(5 * 1024 * 1024),
    })
    .default({ allowPaths: [], maxFileBytes: 5 * 1024 * 1024 }),
  migrate: z
    .strictObject({
      store: z.enum(["secretsmanager", "ssm"]).default("secretsmanager"),
      concurrency: z.number().int().min(1).max(64).default(8),
      /** Legacy `String`/`StringList` parameters and plain settings: kept as SSM parameters of the same type, or left out. */
      configValues: z.enum(["ssm", "skip"]).default("ssm"),
      /** Test fixtures, examples and documentation samples (gitignore syntax): reported as skipped, never imported. */
      skipPaths: z.array(z.string().min(1)).default([...DEFAULT_SAMPLE_PATHS]),
    })
    .default({ store: "secretsmanager", concurrency: 8, configValues: "ssm", skipPaths: [...DEFAULT_SAMPLE_PATHS] }),
  secrets: z.array(secretSpec).default([]),
});

type RawConfig = z.infer<typeof configSchema>;
export type SecretSpec = z.infer<typeof secretSpec>;
export type TeamSpec = z.infer<typeof teamSpec>;
export type RandomSpec = z.infer<typeof randomSpec>;

export interface ResolvedSecret extends SecretSpec {
  store: Store;
  /** The full name under the naming convention, valid in its store. */
  fullName: string;
}

export interface Config extends Omit<RawConfig, "secrets"> {
  /** Where the config was read from (absolute path). */
  file: string;
  template: Template;
  secrets: ResolvedSecret[];
}

interface Problem {
  path: (string | number)[];
  message: string;
}

/** Reads and validates a config file; throws an input error listing every problem. */
export function loadConfig(file: string): Config {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message;
    throw inputError(`${file}: cannot read config: ${reason}`, { cause: error });
  }
  return parseConfig(text, file);
}

/** Validates config text; `file` is used for messages and relative paths. */
export function parseConfig(text: string, file: string): Config {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const label = file;
  if (doc.errors.length > 0) {
    const lines = doc.errors.map((error) => {
      const line = error.linePos?.[0]?.line ?? lineCounter.linePos(error.pos[0]).line;
      return `${label}:${line} ${error.message.split("\n")[0]}`;
    });
    throw configError(lines);
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (error) {
    // An alias bomb (billions of nodes from a few lines) or another structure that cannot become plain data.
    throw configError([`${label}: ${(error as Error).message.split("\n")[0]}`]);
  }
  const parsed = configSchema.safeParse(data);
  if (!parsed.success) {
    throw configError(
      parsed.error.issues.flatMap((issue) => {
        if (issue.code === "unrecognized_keys") {
          return issue.keys.map((key) => locate(doc, lineCounter, label, [...(issue.path as (string | number)[]), key], `unknown key "${key}"`));
        }
        const message = issue.code === "invalid_type" && / received undefined$/.test(issue.message) ? "required key is missing" : issue.message;
        return [locate(doc, lineCounter, label, issue.path as (string | number)[], message)];
      }),
    );
  }
  const { config, problems } = resolve(parsed.data, path.resolve(file));
  if (problems.length > 0) throw configError(problems.map((p) => locate(doc, lineCounter, label, p.path, p.message)));
  return config;
}

function resolve(raw: RawConfig, file: string): { config: Config; problems: Problem[] } {
  const problems: Problem[] = [];
  let template: Template;
  try {
    template = parseTemplate(raw.naming.template);
  } catch (error) {
    problems.push({ path: ["naming", "template"], message: (error as Error).message });
    template = parseTemplate(DEFAULT_TEMPLATE);
  }
  // One pass over the teams: a config with tens of thousands stays linear.
  const teams = new Set<string>();
  raw.teams.forEach((team, index) => {
    if (teams.has(team.name)) problems.push({ path: ["teams", index, "name"], message: `team "${team.name}" is declared twice` });
    teams.add(team.name);
  });
  const teamList = [...teams].slice(0, 10).join(", ") + (teams.size > 10 ? `, ... (${teams.size} teams)` : "");
  if (raw.state.lock === "dynamodb" && !raw.state.dynamodbTable) {
    problems.push({ path: ["state", "lock"], message: "lock: dynamodb needs state.dynamodbTable" });
  }
  const seen = new Map<string, number>();
  const secrets = raw.secrets.map((spec, index): ResolvedSecret => {
    const at = (...rest: (string | number)[]) => ["secrets", index, ...rest];
    const store: Store = spec.store ?? (spec.kind === "parameter" ? "ssm" : "secretsmanager");
    if (!teams.has(spec.team)) problems.push({ path: at("team"), message: `unknown team "${spec.team}" (declared: ${teamList})` });
    if (raw.environments && !raw.environments.includes(spec.env)) {
      problems.push({ path: at("env"), message: `unknown env "${spec.env}" (declared: ${raw.environments.join(", ")})` });
    }
    if (spec.kind === "parameter" && store !== "ssm") problems.push({ path: at("store"), message: "a parameter lives in ssm" });
    if (spec.kind !== "parameter" && store !== "secretsmanager") problems.push({ path: at("store"), message: `a ${spec.kind} secret lives in secretsmanager` });
    if (spec.random && spec.kind !== "random") problems.push({ path: at("random"), message: "random settings only apply to kind: random" });
    if (spec.maxBytes !== undefined && spec.kind !== "parameter") problems.push({ path: at("maxBytes"), message: "maxBytes only applies to kind: parameter" });
    if (spec.kind === "parameter") {
      for (const key of ["rotation", "resourcePolicy", "recoveryWindowDays"] as const) {
        if (spec[key] !== undefined) problems.push({ path: at(key), message: `${key} does not apply to an SSM parameter` });
      }
      if (spec.replicas.length > 0) problems.push({ path: at("replicas"), message: "replicas do not apply to an SSM parameter" });
    }
    if (spec.replicas.includes(raw.region)) problems.push({ path: at("replicas"), message: `replica region ${raw.region} is the primary region` });
    const random = spec.kind === "random" ? (spec.random ?? randomSpec.parse({})) : spec.random;
    if (random) {
      const minimum = random.minUpper + random.minLower + random.minNumeric + random.minSpecial;
      if (minimum > random.length) problems.push({ path: at("random", "length"), message: `length ${random.length} is below the sum of the minimums (${minimum})` });
      if (!random.upper && !random.lower && !random.numeric && !random.special) problems.push({ path: at("random"), message: "at least one character class must be on" });
    }
    let fullName = "";
    try {
      fullName = renderName(template, { org: raw.org, team: spec.team, env: spec.env, app: spec.app, name: spec.name }, store);
    } catch (error) {
      problems.push({ path: at("name"), message: (error as Error).message });
    }
    if (fullName) {
      const first = seen.get(fullName);
      if (first !== undefined) problems.push({ path: at("name"), message: `"${fullName}" is also declared by secrets[${first}]` });
      else seen.set(fullName, index);
    }
    return { ...spec, random, store, fullName };
  });
  return { config: { ...raw, file, template, secrets }, problems };
}

function locate(doc: Document, lines: LineCounter, label: string, at: (string | number)[], message: string): string {
  let offset = 0;
  for (let depth = at.length; depth >= 0; depth -= 1) {
    const found = nodeOffset(doc, at.slice(0, depth));
    if (found !== undefined) {
      offset = found;
      break;
    }
  }
  return `${label}:${lines.linePos(offset).line} ${formatPath(at) || "(root)"}: ${message}`;
}

/** The offset of the value at `at`, or of its key when it is the last segment of a map. */
function nodeOffset(doc: Document, at: (string | number)[]): number | undefined {
  if (at.length === 0) return doc.contents?.range?.[0];
  const parent = at.length === 1 ? doc.contents : doc.getIn(at.slice(0, -1), true);
  const last = at[at.length - 1];
  if (isMap(parent)) {
    const pair = parent.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(last));
    if (pair && isNode(pair.key)) return pair.key.range?.[0];
    return undefined;
  }
  const node = doc.getIn(at, true);
  return isNode(node) ? node.range?.[0] : undefined;
}

function formatPath(at: (string | number)[]): string {
  return at.reduce<string>((text, key) => (typeof key === "number" ? `${text}[${key}]` : text ? `${text}.${key}` : key), "");
}

function configError(lines: string[]) {
  const [first = "invalid config", ...rest] = lines;
  const more = rest.length > 0 ? ` (and ${rest.length} more)` : "";
  return inputError(`${first}${more}`, { details: rest });
}
