/**
 * The one AWS client factory: every command builds its clients here, so profile, region,
 * endpoint (LocalStack, the test emulator) and the adaptive retry mode are set once.
 */
import { KMSClient } from "@aws-sdk/client-kms";
import { S3Client } from "@aws-sdk/client-s3";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SSMClient } from "@aws-sdk/client-ssm";
import { fromIni } from "@aws-sdk/credential-providers";
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
  readonly secretsManager: SecretsManagerClient;
  readonly ssm: SSMClient;
  readonly s3: S3Client;
  readonly kms: KMSClient;
  destroy(): void;
}

const DEFAULT_REGION = "us-east-1";
const DEFAULT_MAX_ATTEMPTS = 8;

/** Clients are built on first use and share one configuration. */
export function createAwsClients(options: AwsOptions): AwsClients {
  const common = {
    region: options.region ?? DEFAULT_REGION,
    retryMode: options.retryMode ?? "adaptive",
    maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.profile ? { credentials: fromIni({ profile: options.profile }) } : {}),
  };
  const built: { destroy(): void }[] = [];
  const lazy = <T extends { destroy(): void }>(make: () => T) => {
    let client: T | undefined;
    return () => {
      if (!client) {
        client = make();
        built.push(client);
      }
      return client;
    };
  };
  const secretsManager = lazy(() => failFastOnDeadEndpoint(new SecretsManagerClient(common), options.endpoint));
  const ssm = lazy(() => failFastOnDeadEndpoint(new SSMClient(common), options.endpoint));
  const s3 = lazy(() => failFastOnDeadEndpoint(new S3Client({ ...common, forcePathStyle: Boolean(options.endpoint) }), options.endpoint));
  const kms = lazy(() => failFastOnDeadEndpoint(new KMSClient(common), options.endpoint));
  return {
    options,
    get secretsManager() {
      return secretsManager();
    },
    get ssm() {
      return ssm();
    },
    get s3() {
      return s3();
    },
    get kms() {
      return kms();
    },
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
