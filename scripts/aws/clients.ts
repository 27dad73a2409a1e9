/**
 * The one AWS client factory: every command builds its clients here, so profile, region,
 * endpoint (LocalStack, the test emulator) and the adaptive retry mode are set once.
 * Each client (and its SDK package) is loaded on first use.
 */
import type { KMSClient } from "@aws-sdk/client-kms";
import type { S3Client } from "@aws-sdk/client-s3";
import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { SSMClient } from "@aws-sdk/client-ssm";
import { inputError } from "../../core/errors.ts";

export interface AwsOptions {
  profile?: string;
  region?: string;
  endpoint?: string;
  /** Attempts per call including the first; adaptive retry spaces them out. */
  maxAttempts?: number;
  /** `adaptive` (default) also slows the client down after throttles; `standard` only backs off per call. */
  retryMode?: "adaptive" | "standard";
}

/** Reads the AWS_* environment variables the way the AWS CLI does, flags win. */
export function awsOptionsFromEnv(flags: AwsOptions, env: NodeJS.ProcessEnv = process.env): AwsOptions {
  return {
    profile: flags.profile ?? env.AWS_PROFILE,
    region: flags.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION,
    endpoint: flags.endpoint ?? env.AWS_ENDPOINT_URL,
    maxAttempts: flags.maxAttempts ?? (env.AWS_MAX_ATTEMPTS ? Number(env.AWS_MAX_ATTEMPTS) : undefined),
    retryMode: flags.retryMode ?? retryModeOf(env.AWS_RETRY_MODE),
  };
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
  const common = async () => ({
    region: options.region ?? DEFAULT_REGION,
    retryMode: options.retryMode ?? "adaptive",
    maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.profile ? { credentials: (await import("@aws-sdk/credential-providers")).fromIni({ profile: options.profile }) } : {}),
  });
  const built: { destroy(): void }[] = [];
  const lazy = <T extends { destroy(): void }>(make: () => Promise<T>) => {
    let client: Promise<T> | undefined;
    return () => {
      client ??= make().then((made) => {
        built.push(made);
        return failFastOnDeadEndpoint(made, options.endpoint);
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
const DEAD_ENDPOINT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

type Handler = (args: unknown) => Promise<unknown>;
interface MiddlewareClient {
  middlewareStack: { add(middleware: (next: Handler) => Handler, options: { step: "finalizeRequest"; priority: "low"; name: string; override: boolean }): void };
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
