/** `vaultlift scan`: find plaintext secrets in directories, git history and S3 vault buckets. */
import { Option, type Command } from "commander";
import { action, notBuilt } from "../context.ts";

export function registerScan(program: Command): void {
  program
    .command("scan")
    .description("scan directories, git history or s3://bucket/prefix for plaintext secrets")
    .argument("[sources...]", "directories, files or s3://BUCKET/PREFIX (default: .)")
    .option("--history", "also scan every commit reachable from all refs")
    .option("--versions", "with s3:// sources, scan every object version")
    .addOption(new Option("--format <format>", "output format").choices(["table", "json", "sarif"]).default("table"))
    .option("--output <file>", "write the report to FILE instead of stdout")
    .option("--baseline <file>", "a previous JSON report: only report new findings")
    .action(action(async () => notBuilt("scan")));
}
