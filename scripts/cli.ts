/**
 * The `vaultlift` command line: global flags, the command tree, and error reporting.
 * Only the command being run is loaded (with its SDK clients), so `--help` and one-shot
 * reads start fast; the others are listed by name and description alone.
 */
import { Command, CommanderError, Option } from "commander";
import { ExitCode, toVaultliftError } from "../core/errors.ts";
import { exitCodeOf } from "./exit-code.ts";

const VERSION = "0.1.0";

interface CommandModule {
  register(command: Command): void;
}

const COMMANDS: readonly { name: string; description: string; load: () => Promise<CommandModule> }[] = [
  { name: "scan", description: "scan directories, git history or s3://bucket/prefix for plaintext secrets", load: () => import("./commands/scan.ts") },
  {
    name: "migrate",
    description: "plan and import legacy secrets from directories or s3:// vault buckets (dry run unless --apply)",
    load: () => import("./commands/migrate.ts"),
  },
  { name: "secrets", description: "list, read, write, delete and compare secrets in both stores", load: () => import("./commands/secrets.ts") },
  {
    name: "teardown",
    description: "delete every secret and parameter under a prefix (both stores, scheduled ones included), after a plan and confirmation",
    load: () => import("./commands/teardown.ts"),
  },
  {
    name: "remediate",
    description: "finish a migration: replace migrated literals with references, list what to rotate, purge history, clean the vault (dry run unless --apply)",
    load: () => import("./commands/remediate.ts"),
  },
  { name: "exec", description: "run a command with secrets in its environment (env files with references, or a prefix)", load: () => import("./commands/exec.ts") },
  { name: "config", description: "inspect the vaultlift config", load: () => import("./commands/config.ts") },
  {
    name: "local-aws",
    description: "run local Secrets Manager, SSM and S3 endpoints on loopback (in memory) until Ctrl-C",
    load: () => import("./commands/local-aws.ts"),
  },
];

/** The program with every command listed; `argv` (already hoisted) decides which one is loaded in full. */
export async function buildProgram(argv: readonly string[] = []): Promise<Command> {
  const program = new Command("vaultlift")
    .description("Get an AWS account's secrets out of source code and into Secrets Manager and SSM Parameter Store.")
    .version(VERSION)
    .option("--config <file>", "config file (default: ./vaultlift.yaml, env VAULTLIFT_CONFIG)")
    .addOption(new Option("--profile <name>", "AWS profile").env("AWS_PROFILE"))
    .addOption(new Option("--region <region>", "AWS region (default: the config's region)").env("AWS_REGION"))
    .addOption(new Option("--endpoint-url <url>", "AWS endpoint, e.g. LocalStack").env("AWS_ENDPOINT_URL"))
    .option("--connect-timeout <seconds>", "seconds to connect to AWS (default 60; 0 waits forever; env VAULTLIFT_CONNECT_TIMEOUT)")
    .option("--read-timeout <seconds>", "seconds to wait for an answer from AWS (default 60; 0 waits forever; env VAULTLIFT_READ_TIMEOUT)")
    .option("--no-progress", "no progress bars")
    .option("--debug", "show stack traces on errors", false)
    .showHelpAfterError("(run with --help for usage)")
    // Program options before the subcommand only, so `secrets get --version N` is the subcommand's;
    // `main` moves global flags written after the subcommand to the front.
    .enablePositionalOptions();
  const chosen = chosenCommand(argv);
  for (const entry of COMMANDS) {
    const command = program.command(entry.name).description(entry.description);
    if (entry.name === chosen) (await entry.load()).register(command);
  }
  return program;
}

/** Runs the CLI and returns the exit code; never throws. */
export async function main(argv: string[]): Promise<number> {
  const debug = argv.includes("--debug");
  try {
    const hoisted = hoistGlobalOptions(argv);
    const program = await buildProgram(hoisted);
    for (const command of [program, ...allSubcommands(program)]) command.exitOverride();
    await program.parseAsync(hoisted);
    return exitCodeOf(program);
  } catch (error) {
    return report(error, debug);
  }
}

/** The command word in hoisted argv: the first word after the global flags (`help X` means X). */
function chosenCommand(argv: readonly string[]): string | undefined {
  const words = argv.slice(2);
  for (let index = 0; index < words.length; index += 1) {
    const word = words[index] as string;
    const flag = word.split("=", 1)[0] as string;
    if (GLOBAL_FLAGS.has(flag)) {
      if (GLOBAL_FLAGS.get(flag) && !word.includes("=")) index += 1;
      continue;
    }
    if (word.startsWith("-")) return undefined;
    return word === "help" ? words[index + 1] : word;
  }
  return undefined;
}

/** Global flags, and whether each takes a value. */
const GLOBAL_FLAGS = new Map([
  ["--config", true],
  ["--profile", true],
  ["--region", true],
  ["--endpoint-url", true],
  ["--connect-timeout", true],
  ["--read-timeout", true],
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

