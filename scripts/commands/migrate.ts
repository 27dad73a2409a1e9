/** `vaultlift migrate`: plan and import legacy secrets (dry run unless --apply). */
import { Option, type Command } from "commander";
import { action, type CommandContext } from "../context.ts";
import { DEFAULT_BASELINE, runMigration, type MigrateOptions } from "../migrate/run.ts";

export function register(command: Command): void {
  command
    .argument("<sources...>", "directories, files or s3://BUCKET/PREFIX")
    .option("--interactive", "decide per finding: import, skip, rename or allowlist; then confirm the plan")
    .option("--mapping <file>", "batch mode: a mapping file (fingerprint -> name/store/skip) or a saved plan")
    .option("--apply", "write to AWS (default: dry run)")
    .option("--team <team>", "team segment of target names")
    .option("--env <env>", "env segment of target names")
    .option("--app <app>", "app segment of target names")
    .addOption(new Option("--store <store>", "target store (default: the config's migrate.store)").choices(["secretsmanager", "ssm"]))
    .option("--history", "directories: also scan git history")
    .option("--versions", "s3:// sources: read every object version")
    .option("--plan-out <file>", "save the plan as JSON (no values; mode 0600; loadable with --mapping)")
    .option("--journal <file>", "apply journal (default: .vaultlift/journal.jsonl)")
    .option("--baseline <file>", `accepted fingerprints: left out, and where allowlisting appends (default: ${DEFAULT_BASELINE})`)
    .option("--force", "overwrite values changed in the store since vaultlift migrated them (reported as [drift] otherwise)")
    .option("--concurrency <n>", "writes in flight (default: the config's migrate.concurrency)")
    .action(action(async (context: CommandContext, sources: string[], options: MigrateOptions) => runMigration(context, sources, options)));
}

