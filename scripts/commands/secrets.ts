/** `vaultlift secrets ...`: everyday secret management for both stores. */
import { Option, type Command } from "commander";
import { action, notBuilt } from "../context.ts";

export function registerSecrets(program: Command): void {
  const secrets = program.command("secrets").description("list, read, write, delete and compare secrets in both stores");
  secrets
    .command("list")
    .description("list secrets and parameters")
    .option("--prefix <prefix>", "only names under this prefix")
    .option("--include-deleted", "include secrets scheduled for deletion")
    .action(action(async () => notBuilt("secrets list")));
  secrets
    .command("versions")
    .description("list the versions of a secret")
    .argument("<name>")
    .action(action(async () => notBuilt("secrets versions")));
  secrets
    .command("get")
    .description("print a secret value (raw, for scripts)")
    .argument("<name>")
    .option("--version-id <id>", "a version id")
    .addOption(new Option("--stage <stage>", "a version stage").choices(["AWSCURRENT", "AWSPREVIOUS"]))
    .option("--field <key>", "print one key of a JSON value")
    .action(action(async () => notBuilt("secrets get")));
  secrets
    .command("dump")
    .description("print every secret under a prefix as JSON, or write one 0600 file each")
    .option("--prefix <prefix>", "only names under this prefix")
    .option("--out <dir>", "write one file per secret under DIR")
    .action(action(async () => notBuilt("secrets dump")));
  for (const verb of ["create", "update"] as const) {
    secrets
      .command(verb)
      .description(`${verb} a secret from a file or standard input`)
      .argument("<name>")
      .option("--file <file>", "read the value from FILE")
      .option("--value-stdin", "read the value from standard input")
      .action(action(async () => notBuilt(`secrets ${verb}`)));
  }
  secrets
    .command("delete")
    .description("delete a secret (with a recovery window unless --force)")
    .argument("<name>")
    .option("--recovery-days <days>", "recovery window, 7 to 30 days")
    .option("--force", "delete without recovery")
    .action(action(async () => notBuilt("secrets delete")));
  secrets
    .command("restore")
    .description("cancel a scheduled deletion")
    .argument("<name>")
    .action(action(async () => notBuilt("secrets restore")));
  secrets
    .command("diff")
    .description("compare two versions of a secret (default AWSPREVIOUS vs AWSCURRENT)")
    .argument("<name>")
    .argument("[a]")
    .argument("[b]")
    .action(action(async () => notBuilt("secrets diff")));
}
