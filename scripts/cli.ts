/** The `vaultlift` command line: global flags, the command tree, and error reporting. */
import { Command, CommanderError, Option } from "commander";
import { ExitCode, VaultliftError } from "../core/errors.ts";
import { registerConfigCommands } from "./commands/config.ts";
import { registerMigrate } from "./commands/migrate.ts";
import { registerScan } from "./commands/scan.ts";
import { registerSecrets } from "./commands/secrets.ts";
import { registerTeardown } from "./commands/teardown.ts";
import { exitCodeOf } from "./context.ts";

export function buildProgram(): Command {
  const program = new Command("vaultlift")
    .description("Get an AWS account's secrets out of source code and into Secrets Manager and SSM Parameter Store.")
    .version("0.1.0")
    .option("--config <file>", "config file (default: ./vaultlift.yaml, env VAULTLIFT_CONFIG)")
    .addOption(new Option("--profile <name>", "AWS profile").env("AWS_PROFILE"))
    .addOption(new Option("--region <region>", "AWS region (default: the config's region)").env("AWS_REGION"))
    .addOption(new Option("--endpoint-url <url>", "AWS endpoint, e.g. LocalStack").env("AWS_ENDPOINT_URL"))
    .option("--no-progress", "no progress bars")
    .option("--debug", "show stack traces on errors", false)
    .showHelpAfterError("(run with --help for usage)")
    // Program options before the subcommand only, so `secrets get --version N` is the subcommand's;
    // `main` moves global flags written after the subcommand to the front.
    .enablePositionalOptions();
  registerScan(program);
  registerMigrate(program);
  registerSecrets(program);
  registerTeardown(program);
  registerConfigCommands(program);
  return program;
}

/** Runs the CLI and returns the exit code; never throws. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  const debug = argv.includes("--debug");
  for (const command of [program, ...allSubcommands(program)]) command.exitOverride();
  try {
    await program.parseAsync(hoistGlobalOptions(argv));
    return exitCodeOf(program);
  } catch (error) {
    return report(error, debug);
  }
}

/** Global flags, and whether each takes a value. */
const GLOBAL_FLAGS = new Map([
  ["--config", true],
  ["--profile", true],
  ["--region", true],
  ["--endpoint-url", true],
  ["--no-progress", false],
  ["--debug", false],
]);

/** `vaultlift scan . --no-progress` means the same as `vaultlift --no-progress scan .`. */
export function hoistGlobalOptions(argv: readonly string[]): string[] {
  const [node = "node", script = "vaultlift", ...args] = argv;
  const global: string[] = [];
  const rest: string[] = [];
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index] as string;
    if (arg === "--") {
      rest.push(...args.slice(index));
      break;
    }
    const flag = arg.split("=", 1)[0] as string;
    const takesValue = GLOBAL_FLAGS.get(flag);
    if (takesValue === undefined) {
      rest.push(arg);
    } else if (takesValue && !arg.includes("=") && index + 1 < args.length) {
      global.push(arg, args[index + 1] as string);
      index += 1;
    } else {
      global.push(arg);
    }
  }
  return [node, script, ...global, ...rest];
}

function allSubcommands(command: Command): Command[] {
  return command.commands.flatMap((sub) => [sub, ...allSubcommands(sub)]);
}

function report(error: unknown, debug: boolean): number {
  if (error instanceof CommanderError) {
    // Commander has already printed help or the usage problem.
    return error.exitCode === 0 ? ExitCode.ok : ExitCode.input;
  }
  const known = toVaultliftError(error);
  process.stderr.write(`vaultlift: ${known.message}\n`);
  for (const line of known.details) process.stderr.write(`  ${line}\n`);
  if (debug) process.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
  return known.exitCode;
}

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
  if (err?.code && ["ECONNREFUSED", "ENOTFOUND", "ECONNRESET", "ETIMEDOUT", "EAI_AGAIN"].includes(err.code)) {
    return new VaultliftError(`cannot reach the AWS endpoint (${err.code}): ${firstLine(err.message)}`, ExitCode.remote, { cause: error });
  }
  return new VaultliftError(`unexpected error: ${firstLine(err?.message ?? String(error))} (run with --debug for details)`, ExitCode.remote, {
    cause: error,
  });
}

function firstLine(text: string | undefined): string {
  return (text ?? "").split("\n")[0] ?? "";
}
