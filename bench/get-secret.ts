/**
 * getSecret() cache benchmark: one miss against the local endpoint, then cache hits.
 * Run directly with `npx tsx bench/get-secret.ts`.
 */
import { pathToFileURL } from "node:url";
import { CreateSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { clearSecretCache, getSecret } from "../scripts/index.ts";
import { startLocalAws } from "../scripts/local-aws/index.ts";

export interface CacheBench {
  missMs: number;
  hitMicroseconds: number;
  apiCallsForHits: number;
}

export async function benchGetSecret(hits = 100_000): Promise<CacheBench> {
  const aws = await startLocalAws({ s3: false });
  const client = new SecretsManagerClient({ endpoint: aws.endpoint, region: aws.region, credentials: aws.credentials });
  try {
    await client.send(new CreateSecretCommand({ Name: "/bench/cache/db", SecretString: JSON.stringify({ password: "bench-value" }) }));
    Object.assign(process.env, aws.env());
    clearSecretCache();
    const options = { region: aws.region, endpoint: aws.endpoint, field: "password" };
    let start = performance.now();
    await getSecret("/bench/cache/db", options);
    const missMs = performance.now() - start;
    aws.counters.reset();
    start = performance.now();
    for (let index = 0; index < hits; index += 1) await getSecret("/bench/cache/db", options);
    const hitMicroseconds = ((performance.now() - start) * 1000) / hits;
    return { missMs, hitMicroseconds, apiCallsForHits: aws.counters.total() };
  } finally {
    client.destroy();
    await aws.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  console.log(await benchGetSecret());
}
