/** `vaultlift migrate`: import legacy plaintext secrets under the naming convention. */
import { Option, type Command } from "commander";
import { action, notBuilt } from "../context.ts";

export function registerMigrate(program: Command): void {
  program
    .command("migrate")
    .description("plan and import legacy secrets from directories or s3:// vault buckets (dry run unless --apply)")
    .argument("<sources...>", "directories, files or s3://BUCKET/PREFIX")
    .option("--interactive", "decide per finding: import, skip, rename or allowlist")
    .option("--mapping <file>", "batch mode: a mapping file (fingerprint -> name/store/skip)")
    .option("--apply", "write to AWS (default: dry run)")
    .option("--team <team>", "team segment of target names")
    .option("--env <env>", "env segment of target names")
    .option("--app <app>", "app segment of target names")
    .addOption(new Option("--store <store>", "target store").choices(["secretsmanager", "ssm"]))
    .action(action(async () => notBuilt("migrate")));
}
