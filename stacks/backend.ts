/**
 * The remote backend every stack uses once the state stack exists: the state bucket,
 * encrypted with the secrets key, locked by an S3 lock file or the DynamoDB table; and
 * the Terraform version the stacks need, so an older one stops at init with a clear message.
 */
import { S3Backend, type TerraformStack } from "cdktf";
import type { Config } from "../core/config.ts";
import { stateKey, type StackName } from "./names.ts";

export function useRemoteBackend(stack: TerraformStack, config: Config, name: StackName): S3Backend {
  const backend = new S3Backend(stack, {
    bucket: config.state.bucket,
    key: stateKey(config, name),
    region: config.region,
    encrypt: true,
    kmsKeyId: config.kms.alias,
    ...(config.state.lock === "dynamodb" ? { dynamodbTable: config.state.dynamodbTable } : {}),
  });
  // cdktf 0.21's S3Backend has no useLockfile prop; the argument exists since Terraform 1.10.
  if (config.state.lock === "s3") backend.addOverride("use_lockfile", true);
  return backend;
}

/** Write-only arguments and ephemeral resources need 1.11; S3 lock files need 1.10. */
export function requireTerraform(stack: TerraformStack, config: Config): void {
  const version = config.terraform.ephemeralRandom ? "1.11.0" : config.state.lock === "s3" ? "1.10.0" : undefined;
  if (version) stack.addOverride("terraform.required_version", `>= ${version}`);
}
