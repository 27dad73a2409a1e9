/** `vaultlift remediate`: finish a migration (dry run unless --apply). */
import { Option, type Command } from "commander";
import { action, type CommandContext } from "../context.ts";
import { runRemediation, type RemediateOptions } from "../remediate/index.ts";

export function register(command: Command): void {
  command
    .argument("<sources...>", "the directories, files and s3://BUCKET/PREFIX that were migrated")
    .option("--history", "directories: also look in git history")
    .addOption(new Option("--format <format>", "plan format").choices(["table", "json", "markdown"]).default("table"))
    .option("--apply", "rewrite the working tree and delete vault object versions (default: dry run)")
    .option("--yes", "do not ask before deleting object versions")
    .option("--purge-file <file>", "write a git filter-repo --replace-text file (0600, outside any work tree) and print how to run it")
    .option("--journal <file>", "apply journal of the migration (default: .vaultlift/journal.jsonl)")
    .addHelpText(
      "after",
      `
Actions: replace (a literal in the working tree, with the reference for its file kind), rotate (the value
was exposed: git history, an older object version, used in several places), purge-history (a commit that
holds it), delete-object-version (a vault object version holding only migrated values).`,
    )
    .action(action(async (context: CommandContext, sources: string[], options: RemediateOptions) => runRemediation(context, sources, options)));
}
