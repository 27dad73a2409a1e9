/** Exit codes are part of the command-line contract. */
export const ExitCode = {
  ok: 0,
  findings: 1,
  input: 2,
  remote: 3,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * The one error type of vaultlift. `message` is a single line the user can act on
 * (it names the file, key or line); `exitCode` follows the contract above.
 */
export class VaultliftError extends Error {
  readonly exitCode: ExitCode;
  /** Extra lines shown after the message, e.g. every problem in a config file. */
  readonly details: readonly string[];

  constructor(message: string, exitCode: ExitCode, options: { cause?: unknown; details?: readonly string[] } = {}) {
    super(message, { cause: options.cause });
    this.name = "VaultliftError";
    this.exitCode = exitCode;
    this.details = options.details ?? [];
  }
}

/** Bad input from the user: a file, a flag, a name. Exit 2. */
export function inputError(message: string, options?: { cause?: unknown; details?: readonly string[] }): VaultliftError {
  return new VaultliftError(message, ExitCode.input, options);
}

/** AWS or another remote refused or failed. Exit 3. */
export function remoteError(message: string, options?: { cause?: unknown }): VaultliftError {
  return new VaultliftError(message, ExitCode.remote, options);
}

/** Network errors meaning nothing answers at an address. */
export const UNREACHABLE_CODES = ["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"] as const;
/** Every network error that is the endpoint's, not ours: unreachable, reset or timed out. */
const NETWORK_CODES = new Set<string>([...UNREACHABLE_CODES, "ECONNRESET", "ETIMEDOUT"]);

/** Maps anything thrown to the one error type: AWS and network failures are remote errors. */
export function toVaultliftError(error: unknown): VaultliftError {
  if (error instanceof VaultliftError) return error;
  const err = error as { name?: string; message?: string; code?: string; $metadata?: unknown; $fault?: string };
  if (err?.name === "CredentialsProviderError") {
    return new VaultliftError("no AWS credentials: set --profile or AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY", ExitCode.remote, {
      cause: error,
    });
  }
  if (err && (err.$metadata !== undefined || err.$fault !== undefined)) {
    return new VaultliftError(`AWS ${err.name ?? "error"}: ${firstLine(err.message)}`, ExitCode.remote, { cause: error });
  }
  if (err?.code && NETWORK_CODES.has(err.code)) {
    return new VaultliftError(`cannot reach the AWS endpoint (${err.code}): ${firstLine(err.message)}`, ExitCode.remote, { cause: error });
  }
  return new VaultliftError(`unexpected error: ${firstLine(err?.message ?? String(error))} (run with --debug for details)`, ExitCode.remote, {
    cause: error,
  });
}

/** The first line of a message: errors are reported on one line. */
export function firstLine(text: string | undefined): string {
  return (text ?? "").split("\n")[0] ?? "";
}

/** Where a JSON or YAML parser gave up, as " at line N[, column M]", never its message: JSON.parse quotes the input, values and all. */
export function parseFailureAt(text: string, error: unknown): string {
  const message = (error as Error | undefined)?.message ?? "";
  const lineColumn = /at line (\d+), column (\d+)/.exec(message);
  if (lineColumn) return ` at line ${lineColumn[1]}, column ${lineColumn[2]}`;
  const position = /at position (\d+)/.exec(message);
  if (position) return ` at line ${text.slice(0, Number(position[1])).split("\n").length}`;
  return "";
}
