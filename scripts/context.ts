/**
 * What every command receives: the validated config, lazily built AWS clients, and the
 * output settings. The config is loaded before a command does anything else.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import type { Config } from "../core/config.ts";
import { DEFAULT_CONFIG_FILE } from "../core/config-file.ts";
import { inputError } from "../core/errors.ts";
import { setExitCode } from "./exit-code.ts";
import { awsOptionsFromEnv, checkRegion, createAwsClients, secondsOf, type AwsClients, type AwsOptions } from "./aws/clients.ts";

export interface GlobalOptions {
  config?: string;
  profile?: string;
  region?: string;
  endpointUrl?: string;
  connectTimeout?: string;
  readTimeout?: string;
  progress: boolean;
  debug: boolean;
}

export interface CommandContext {
  /** The validated config, or undefined when no `--config` was given and `./vaultlift.yaml` does not exist. */
  readonly config: Config | undefined;
  /** The config, or an input error saying how to provide one. */
  requireConfig(): Config;
  readonly awsOptions: AwsOptions;
  /** AWS clients, built on first use with profile, region, endpoint and adaptive retry. */
  aws(): AwsClients;
  /** Show progress bars: on a TTY, unless `--no-progress` or CI. */
  readonly progress: boolean;
  readonly debug: boolean;
  /** Release clients and sockets; called by the CLI after each command. */
  close(): void;
}

export async function createContext(options: GlobalOptions, env: NodeJS.ProcessEnv = process.env): Promise<CommandContext> {
  const configFile = options.config ?? env.VAULTLIFT_CONFIG;
  const file = configFile ?? DEFAULT_CONFIG_FILE;
  // The schema and YAML parser load only when there is a config to read.
  const config = configFile !== undefined || existsSync(file) ? (await import("../core/config.ts")).loadConfig(file) : undefined;
  const awsOptions = awsOptionsFromEnv(
    {
      profile: options.profile,
      region: options.region,
      endpoint: options.endpointUrl,
      connectTimeoutSeconds: secondsOf("--connect-timeout", options.connectTimeout),
      readTimeoutSeconds: secondsOf("--read-timeout", options.readTimeout),
    },
    env,
  );
  awsOptions.region ??= checkRegion(config?.region);
  let clients: AwsClients | undefined;
  return {
    config,
    requireConfig() {
      if (!config) throw inputError(`no ${DEFAULT_CONFIG_FILE} in ${path.resolve(".")}: pass --config FILE`);
      return config;
    },
    awsOptions,
    aws() {
      clients ??= createAwsClients(awsOptions);
      return clients;
    },
    progress: options.progress && Boolean(process.stderr.isTTY) && !env.CI,
    debug: options.debug,
    close() {
      clients?.destroy();
    },
  };
}

/** What a command action returns: an exit code, or nothing for success. */
export type ActionResult = number | void;

/**
 * Wraps a commander action: loads the config and builds the context first, then runs the
 * handler with the positional arguments and the command's own options, e.g.
 * `action(async (context, name: string, options: { field?: string }) => ...)`.
 */
export function action(handler: (context: CommandContext, ...argsThenOptions: never[]) => Promise<ActionResult>) {
  return async function (this: Command, ...raw: unknown[]): Promise<void> {
    const command = raw[raw.length - 1] as Command;
    const positional = raw.slice(0, -2);
    const context = await createContext(command.optsWithGlobals<GlobalOptions>());
    try {
      const run = handler as (context: CommandContext, ...args: unknown[]) => Promise<ActionResult>;
      const code = await run(context, ...positional, command.opts());
      setExitCode(command, code ?? 0);
    } finally {
      context.close();
    }
  };
}
