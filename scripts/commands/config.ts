/** `vaultlift config validate`: load the config and print the names it declares. */
import type { Command } from "commander";
import { action } from "../context.ts";

export function register(command: Command): void {
  command
    .command("validate")
    .description("validate the config and list the secret names it declares")
    .action(
      action(async (context) => {
        const loaded = context.requireConfig();
        process.stdout.write(`${loaded.file}: ok, ${loaded.teams.length} teams, ${loaded.secrets.length} secrets\n`);
        for (const secret of loaded.secrets) process.stdout.write(`${secret.store.padEnd(14)} ${secret.kind.padEnd(11)} ${secret.fullName}\n`);
      }),
    );
}
