/**
 * The one AWS client factory: every command builds its clients here, so profile, region,
 * endpoint (LocalStack, the test emulator) and the adaptive retry mode are set once.
 */
import { KMSClient } from "@aws-sdk/client-kms";
import { S3Client } from "@aws-sdk/client-s3";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SSMClient } from "@aws-sdk/client-ssm";
import { fromIni } from "@aws-sdk/credential-providers";

export interface AwsOptions {
  profile?: string;
  region?: string;
  endpoint?: string;
  /** Attempts per call including the first; adaptive retry spaces them out. */
  maxAttempts?: number;
}

/** Reads the AWS_* environment variables the way the AWS CLI does, flags win. */
export function awsOptionsFromEnv(flags: AwsOptions, env: NodeJS.ProcessEnv = process.env): AwsOptions {
  return {
    profile: flags.profile ?? env.AWS_PROFILE,
    region: flags.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION,
    endpoint: flags.endpoint ?? env.AWS_ENDPOINT_URL,
    maxAttempts: flags.maxAttempts ?? (env.AWS_MAX_ATTEMPTS ? Number(env.AWS_MAX_ATTEMPTS) : undefined),
  };
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
    retryMode: "adaptive" as const,
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
  const secretsManager = lazy(() => new SecretsManagerClient(common));
  const ssm = lazy(() => new SSMClient(common));
  const s3 = lazy(() => new S3Client({ ...common, forcePathStyle: Boolean(options.endpoint) }));
  const kms = lazy(() => new KMSClient(common));
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
