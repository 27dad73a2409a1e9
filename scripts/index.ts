/**
 * The vaultlift package: `getSecret()` for scripts, and the store interface with its two
 * backends for programs that manage secrets themselves.
 */
export { getSecret, clearSecretCache, DEFAULT_TTL_SECONDS, type GetSecretOptions } from "./store/get-secret.ts";
export { storesFor, locate, readAnywhere, listAll, type Stores } from "./store/index.ts";
export { SecretsManagerStore } from "./store/secrets-manager.ts";
export { SsmStore } from "./store/ssm.ts";
export { parseSecretRef, type SecretRef } from "./store/selector.ts";
export type * from "./store/types.ts";
export { createAwsClients, type AwsClients, type AwsOptions } from "./aws/clients.ts";
export { VaultliftError, ExitCode } from "../core/errors.ts";
