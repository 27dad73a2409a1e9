/** `vaultlift teardown`: delete every secret and parameter under a prefix. */
import type { Command } from "commander";
import { action, notBuilt } from "../context.ts";

export function registerTeardown(program: Command): void {
  program
    .command("teardown")
    .description("delete every secret and parameter under a prefix, after a plan and confirmation")
    .requiredOption("--prefix <prefix>", "name prefix, e.g. /acme/payments/dev/")
    .option("--force-delete-without-recovery", "delete at once so names can be reused")
    .option("--yes", "do not ask for confirmation")
    .action(action(async () => notBuilt("teardown")));
}
