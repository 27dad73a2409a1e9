/**
 * `vaultlift local-aws`: the offline Secrets Manager, SSM and S3 endpoints in the foreground,
 * for trying vaultlift (and the aws CLI) without an account. Ctrl-C stops it.
 */
import type { Command } from "commander";
import { inputError } from "../../core/errors.ts";
import { startLocalAws } from "../local-aws/index.ts";

export function register(command: Command): void {
  command
    .option("--port <n>", "port to listen on (0: any free port)", "4566")
    .option("--host <address>", "address to listen on", "127.0.0.1")
    .option("--no-s3", "Secrets Manager and SSM only")
    .action(async (options: { port: string; host: string; s3: boolean }) => {
      const port = Number(options.port);
      if (!/^\d+$/.test(options.port) || port > 65_535) throw inputError(`--port must be a port number from 0 to 65535 (got "${options.port}")`);
      // Listening before anything is printed: whoever reads "Ctrl-C to stop." may signal at once, and without a listener the signal kills the process before aws.stop().
      const stopped = new Promise<string>((resolve) => {
        process.once("SIGINT", () => resolve("SIGINT"));
        process.once("SIGTERM", () => resolve("SIGTERM"));
      });
      const aws = await startLocalAws({ port, host: options.host, s3: options.s3 });
      const lines = [
        `local AWS endpoint (Secrets Manager, SSM${options.s3 ? ", S3" : ""}) at ${aws.endpoint}`,
        "export these to point the aws CLI or vaultlift at it:",
        ...Object.entries(aws.env()).map(([key, value]) => `  export ${key}=${value}`),
        "Ctrl-C to stop.",
      ];
      process.stdout.write(`${lines.join("\n")}\n`);
      const signal = await stopped;
      process.stdout.write(`\n${signal}: stopping; calls served: ${JSON.stringify(aws.counters.byOperation())}\n`);
      await aws.stop();
    });
}
