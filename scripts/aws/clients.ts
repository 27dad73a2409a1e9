/**
 * The one AWS client factory: every command builds its clients here, so profile, region,
 * endpoint (LocalStack, the test emulator), timeouts and the adaptive retry mode are set
 * once, and remote errors reach the user capped and without the values the request sent.
 * Each client (and its SDK package) is loaded on first use.
 */
import type { KMSClient } from "@aws-sdk/client-kms";
import type { S3Client } from "@aws-sdk/client-s3";
import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { SSMClient } from "@aws-sdk/client-ssm";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";
import { inputError, remoteError, UNREACHABLE_CODES } from "../../core/errors.ts";

export interface AwsOptions {
  profile?: string;
  region?: string;
  endpoint?: string;
  /** Attempts per call including the first; adaptive retry spaces them out. */
  maxAttempts?: number;
  /** `adaptive` (default) also slows the client down after throttles; `standard` only backs off per call. */
  retryMode?: "adaptive" | "standard";
  /** Seconds to establish a connection (default 60, as the aws CLI); 0 waits forever. */
  connectTimeoutSeconds?: number;
  /** Seconds a connection may stay silent while waiting for an answer (default 60, as the aws CLI); 0 waits forever. */
  readTimeoutSeconds?: number;
  /** Credentials or a provider instead of the default chain (library callers). */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
}

export const DEFAULT_TIMEOUT_SECONDS = 60;

/** Reads the AWS_* (and VAULTLIFT_*_TIMEOUT) environment variables the way the AWS CLI does, flags win. */
export function awsOptionsFromEnv(flags: AwsOptions, env: NodeJS.ProcessEnv = process.env): AwsOptions {
  return {
    ...flags,
    profile: flags.profile ?? env.AWS_PROFILE,
    region: checkRegion(flags.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION),
    endpoint: checkEndpoint(flags.endpoint ?? env.AWS_ENDPOINT_URL),
    maxAttempts: flags.maxAttempts ?? (env.AWS_MAX_ATTEMPTS ? Number(env.AWS_MAX_ATTEMPTS) : undefined),
    retryMode: flags.retryMode ?? retryModeOf(env.AWS_RETRY_MODE),
    connectTimeoutSeconds: flags.connectTimeoutSeconds ?? secondsOf("VAULTLIFT_CONNECT_TIMEOUT", env.VAULTLIFT_CONNECT_TIMEOUT) ?? DEFAULT_TIMEOUT_SECONDS,
    readTimeoutSeconds: flags.readTimeoutSeconds ?? secondsOf("VAULTLIFT_READ_TIMEOUT", env.VAULTLIFT_READ_TIMEOUT) ?? DEFAULT_TIMEOUT_SECONDS,
  };
}

/** Region names become part of a host name: letters, digits and dashes (eu-west-1). */
export function checkRegion(region: string | undefined): string | undefined {
  if (region === undefined || region === "") return undefined;
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(region)) throw inputError(`region "${region}" is not an AWS region name (e.g. eu-west-1): check --region, AWS_REGION or the config's region`);
  return region;
}

function checkEndpoint(endpoint: string | undefined): string | undefined {
  if (endpoint === undefined || endpoint === "") return undefined;
  let url: URL | undefined;
  try {
    url = new URL(endpoint);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) {
    throw inputError(`endpoint "${endpoint}" is not an http(s) URL (e.g. http://localhost:4566): check --endpoint-url or AWS_ENDPOINT_URL`);
  }
  return endpoint;
}

/** A timeout in seconds from a flag or variable; undefined when unset. */
export function secondsOf(name: string, text: string | undefined): number | undefined {
  if (text === undefined || text === "") return undefined;
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds < 0) throw inputError(`${name} must be a number of seconds (got "${text}")`);
  return seconds;
}

function retryModeOf(text: string | undefined): AwsOptions["retryMode"] {
  if (text === undefined || text === "") return undefined;
  if (text === "adaptive" || text === "standard") return text;
  throw inputError(`AWS_RETRY_MODE is "adaptive" or "standard" (got "${text}")`);
}

export interface AwsClients {
  readonly options: AwsOptions;
  secretsManager(): Promise<SecretsManagerClient>;
  ssm(): Promise<SSMClient>;
  s3(): Promise<S3Client>;
  kms(): Promise<KMSClient>;
  destroy(): void;
}

const DEFAULT_REGION = "us-east-1";
const DEFAULT_MAX_ATTEMPTS = 8;

/** Clients are built on first use and share one configuration. */
export function createAwsClients(options: AwsOptions): AwsClients {
  const timeouts = {
    connectionTimeout: (options.connectTimeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000,
    socketTimeout: (options.readTimeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000,
  };
  const common = async () => ({
    region: options.region ?? DEFAULT_REGION,
    retryMode: options.retryMode ?? "adaptive",
    maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.profile && !options.credentials
      ? // The profile's own calls (STS role assumption, SSO) get the same timeouts.
        { credentials: (await import("@aws-sdk/credential-providers")).fromIni({ profile: options.profile, clientConfig: { requestHandler: timeouts } }) }
      : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    requestHandler: timeouts,
  });
  const built: { destroy(): void }[] = [];
  const lazy = <T extends { destroy(): void }>(make: () => Promise<T>) => {
    let client: Promise<T> | undefined;
    return () => {
      client ??= make().then((made) => {
        built.push(made);
        return guarded(made, options);
      });
      return client;
    };
  };
  return {
    options,
    secretsManager: lazy(async () => new (await import("@aws-sdk/client-secrets-manager")).SecretsManagerClient(await common())),
    ssm: lazy(async () => new (await import("@aws-sdk/client-ssm")).SSMClient(await common())),
    s3: lazy(async () => new (await import("@aws-sdk/client-s3")).S3Client({ ...(await common()), forcePathStyle: Boolean(options.endpoint) })),
    kms: lazy(async () => new (await import("@aws-sdk/client-kms")).KMSClient(await common())),
    destroy() {
      for (const client of built) client.destroy();
    },
  };
}

/** Network errors meaning "nothing answers at this address", as opposed to a dropped or reset connection. */
const DEAD_ENDPOINT_CODES = new Set<string>(UNREACHABLE_CODES);

type Handler = (args: { input?: unknown; request?: unknown }) => Promise<unknown>;
interface MiddlewareClient {
  middlewareStack: {
    add(middleware: (next: Handler, context: { commandName?: string }) => Handler, options: { step: "initialize" | "finalizeRequest"; priority: "low" | "high"; name: string; override: boolean }): void;
  };
}

function guarded<T extends object>(client: T, options: AwsOptions): T {
  return scrubRemoteErrors(timeoutsAsRemoteErrors(failFastOnDeadEndpoint(client, options.endpoint), options), options);
}

/**
 * A connection that opened and then stayed silent past the timeout is a one-line remote
 * error naming the endpoint, and not retried: eight silent attempts would hang for minutes.
 * No `cause`: the SDK retries any error whose cause is a timeout.
 */
function timeoutsAsRemoteErrors<T extends object>(client: T, options: AwsOptions): T {
  (client as unknown as MiddlewareClient).middlewareStack.add(
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        // The SDK also names a reset connection TimeoutError (ECONNRESET, EPIPE): those stay retryable.
        if ((error as { name?: string })?.name !== "TimeoutError" || !/timed out|configured timeout/i.test((error as Error).message)) throw error;
        const request = args.request as { protocol?: string; hostname?: string; port?: number } | undefined;
        const endpoint = options.endpoint ?? `${request?.protocol ?? "https:"}//${request?.hostname ?? "the AWS endpoint"}${request?.port ? `:${request.port}` : ""}`;
        const connecting = /establish a connection/i.test((error as Error).message);
        const seconds = connecting ? options.connectTimeoutSeconds : options.readTimeoutSeconds;
        const which = connecting ? "connect" : "read";
        throw remoteError(`${endpoint} did not ${connecting ? "accept a connection" : "answer"} within ${seconds ?? DEFAULT_TIMEOUT_SECONDS} s (${which} timeout; --${which}-timeout or VAULTLIFT_${which.toUpperCase()}_TIMEOUT to change)`);
      }
    },
    { step: "finalizeRequest", priority: "low", name: "vaultliftTimeouts", override: true },
  );
  return client;
}

/** Longest remote error text shown: an endpoint's answer is not ours to print in full. */
const MAX_REMOTE_MESSAGE = 300;
/** Request fields that carry values. */
const VALUE_FIELDS = new Set(["SecretString", "SecretBinary", "Value"]);

/**
 * Remote error messages are printed: cut them to one short line, and take out any value
 * this request sent (as sent, JSON-escaped or base64), since an endpoint may echo it. An
 * answer that is not JSON (a proxy's or an old emulator's HTML page) says which endpoint.
 */
function scrubRemoteErrors<T extends object>(client: T, options: AwsOptions): T {
  (client as unknown as MiddlewareClient).middlewareStack.add(
    (next, context) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        if (isUnparsable(error)) {
          const operation = (context.commandName ?? "the call").replace(/Command$/, "");
          const status = (error as { $response?: { statusCode?: number }; $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
          const endpoint = options.endpoint ?? "the AWS endpoint";
          throw remoteError(`${endpoint} answered ${operation} with something that is not an AWS JSON reply${status ? ` (HTTP ${status})` : ""}: check --endpoint-url`, { cause: error });
        }
        if (error instanceof Error && !(error.name === "VaultliftError")) error.message = scrubbed(error.message, valuesSent(args.input));
        throw error;
      }
    },
    { step: "initialize", priority: "high", name: "vaultliftScrubErrors", override: true },
  );
  return client;
}

/** The SDK could not parse the answer: a SyntaxError from JSON.parse, or its "Deserialization error". */
function isUnparsable(error: unknown): boolean {
  const err = error as { name?: string; message?: string } | undefined;
  return err?.name === "SyntaxError" || /^Deserialization error/.test(err?.message ?? "");
}

/** True for the error an answer that is not JSON became (see scrubRemoteErrors). */
export function isNotAwsAnswer(error: unknown): boolean {
  return isUnparsable((error as { cause?: unknown } | undefined)?.cause);
}

function valuesSent(input: unknown): string[] {
  const values: string[] = [];
  const walk = (node: unknown, key?: string) => {
    if (key !== undefined && VALUE_FIELDS.has(key)) {
      if (typeof node === "string") values.push(node);
      else if (node instanceof Uint8Array) values.push(Buffer.from(node).toString("utf8"), Buffer.from(node).toString("base64"));
    }
    if (node && typeof node === "object" && !(node instanceof Uint8Array)) for (const [child, value] of Object.entries(node)) walk(value, child);
  };
  walk(input);
  return values.filter((value) => value.length > 0);
}

export function scrubbed(message: string, values: readonly string[]): string {
  let text = message;
  for (const value of values) {
    for (const form of new Set([value, JSON.stringify(value).slice(1, -1), Buffer.from(value).toString("base64")])) {
      if (form.length > 0) text = text.split(form).join("[value]");
    }
  }
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > MAX_REMOTE_MESSAGE ? `${line.slice(0, MAX_REMOTE_MESSAGE)}…` : line;
}

/**
 * An endpoint the user named (`--endpoint-url`, AWS_ENDPOINT_URL) that refuses connections
 * or does not resolve is their typo, not an outage: fail at the first attempt, naming the
 * URL, instead of retrying for a minute. Runs inside the retry loop, and an input error is
 * not retryable. Without an explicit endpoint such errors stay retryable remote errors.
 */
function failFastOnDeadEndpoint<T extends object>(client: T, endpoint: string | undefined): T {
  if (!endpoint) return client;
  (client as unknown as MiddlewareClient).middlewareStack.add(
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        const code = (error as { code?: string })?.code;
        if (code && DEAD_ENDPOINT_CODES.has(code)) {
          throw inputError(`cannot reach the endpoint ${endpoint} (${code}): check --endpoint-url or AWS_ENDPOINT_URL`, { cause: error });
        }
        throw error;
      }
    },
    { step: "finalizeRequest", priority: "low", name: "vaultliftDeadEndpoint", override: true },
  );
  return client;
}
