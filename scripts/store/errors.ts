/**
 * AWS errors the user can act on, turned into one-line VaultliftErrors that name the
 * secret and say what to do. Anything else is left for the CLI to report as a remote error.
 */
import { firstLine, inputError, remoteError, VaultliftError } from "../../core/errors.ts";
import type { Store } from "./types.ts";

interface AwsErrorShape {
  name?: string;
  message?: string;
  Code?: string;
  __type?: string;
}

/** The AWS error name (`ResourceNotFoundException`, `ParameterNotFound`, ...), or undefined for non-AWS errors. */
export function awsErrorName(error: unknown): string | undefined {
  const err = error as AwsErrorShape | undefined;
  if (!err || typeof err !== "object") return undefined;
  return err.name ?? err.Code;
}

export function isNotFound(error: unknown): boolean {
  const name = awsErrorName(error);
  return name === "ResourceNotFoundException" || name === "ParameterNotFound" || name === "ParameterVersionNotFound";
}

/** Secrets Manager refuses reads and writes of a secret scheduled for deletion with InvalidRequestException. */
export function isScheduledForDeletion(error: unknown): boolean {
  return awsErrorName(error) === "InvalidRequestException" && /(marked|scheduled) for deletion|deleted/i.test(messageOf(error));
}

/** True when the SDK sent the call more than once: an earlier attempt may have been applied and its reply lost. */
export function wasRetried(errorOrResponse: unknown): boolean {
  return ((errorOrResponse as { $metadata?: { attempts?: number } } | undefined)?.$metadata?.attempts ?? 1) > 1;
}

export function notFoundError(name: string, cause?: unknown): VaultliftError {
  return inputError(`secret "${name}" not found`, { cause });
}

export function scheduledError(name: string, cause?: unknown): VaultliftError {
  return inputError(`secret "${name}" is scheduled for deletion: run \`vaultlift secrets restore ${name}\` first`, { cause });
}

/** Translates the common AWS errors for one named secret; returns other errors unchanged. */
export function translate(error: unknown, name: string, store: Store): unknown {
  if (error instanceof VaultliftError) return error;
  const code = awsErrorName(error);
  if (isNotFound(error)) return notFoundError(name, error);
  if (isScheduledForDeletion(error)) return scheduledError(name, error);
  switch (code) {
    case "ResourceExistsException":
    case "ParameterAlreadyExists":
      return inputError(`secret "${name}" already exists in ${storeLabel(store)}: use \`vaultlift secrets update ${name}\``, { cause: error });
    case "AccessDeniedException":
    case "AccessDenied":
      return remoteError(`access denied to "${name}" in ${storeLabel(store)}: ${firstLine(messageOf(error))}`, { cause: error });
    case "DecryptionFailure":
      return remoteError(`cannot decrypt "${name}": check kms:Decrypt on its KMS key`, { cause: error });
    case "InvalidKeyId":
      return inputError(`the KMS key for "${name}" is not valid or not usable: ${firstLine(messageOf(error))}`, { cause: error });
    case "ParameterMaxVersionLimitExceeded":
      return remoteError(`parameter "${name}" has 100 versions, the SSM maximum: delete old labels or the parameter`, { cause: error });
    default:
      return error;
  }
}

/** Runs one call for one secret and translates its errors. */
export async function forSecret<T>(name: string, store: Store, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw translate(error, name, store);
  }
}

export function storeLabel(store: Store): string {
  return store === "secretsmanager" ? "Secrets Manager" : "SSM Parameter Store";
}

export function messageOf(error: unknown): string {
  return String((error as AwsErrorShape | undefined)?.message ?? error);
}
