/** The local emulator without S3 and the stores on it, through the real SDK, for tests that call the stores in-process. */
import { createAwsClients, type AwsClients, type AwsOptions } from "../../scripts/aws/clients.ts";
import { startLocalAws, type LocalAws } from "../../scripts/local-aws/index.ts";
import { storesFor, type Stores } from "../../scripts/store/index.ts";

export interface LocalStores {
  aws: LocalAws;
  clients: AwsClients;
  stores: Stores;
}

/** Also puts the emulator's credentials in process.env, where other clients a test makes find them; stop with `clients.destroy()` and `aws.stop()`. */
export async function startLocalStores(options: Pick<AwsOptions, "maxAttempts" | "retryMode"> = {}): Promise<LocalStores> {
  const aws = await startLocalAws({ s3: false });
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: aws.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: aws.credentials.secretAccessKey });
  const clients = createAwsClients({ ...options, endpoint: aws.endpoint, region: aws.region });
  return { aws, clients, stores: storesFor(clients) };
}
