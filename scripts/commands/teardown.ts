/** `vaultlift teardown`: delete every secret and parameter under a prefix, after a plan and confirmation. */
import type { Command } from "commander";
import { inputError } from "../../core/errors.ts";
import { action } from "../context.ts";
import { confirmOnTerminal, startProgress } from "../output.ts";
import { checkRecoveryDays } from "../store/secrets-manager.ts";
import { listAll, storesFor } from "../store/index.ts";
import { actingItems, applyTeardown, formatTeardownOutcomes, formatTeardownPlan, planTeardown } from "../store/teardown.ts";

export function register(command: Command): void {
  command
    .requiredOption("--prefix <prefix>", "name prefix, e.g. /acme/payments/dev/")
    .option("--force-delete-without-recovery", "delete at once, scheduled secrets too, so names can be reused")
    .option("--recovery-days <days>", "recovery window for live Secrets Manager secrets, 7 to 30 (default 30)")
    .option("--include-declared", "also delete secrets the config declares (bootstrap-managed); they are named in the plan")
    .option("--yes", "do not ask for confirmation")
    .addHelpText("after", "\nSSM parameters have no recovery window: they are always deleted at once.\nExit 1 when the confirmation is declined, 3 when a deletion failed.")
    .action(
      action(async (context, options: { prefix: string; forceDeleteWithoutRecovery?: boolean; recoveryDays?: string; includeDeclared?: boolean; yes?: boolean }) => {
        const prefix = options.prefix;
        if (prefix.replace(/\/+/g, "") === "") throw inputError(`--prefix "${prefix}" would match every secret: name a narrower prefix`);
        const force = Boolean(options.forceDeleteWithoutRecovery);
        if (force && options.recoveryDays !== undefined) throw inputError("--recovery-days and --force-delete-without-recovery exclude each other");
        const recoveryDays = options.recoveryDays === undefined ? undefined : Number(options.recoveryDays);
        if (recoveryDays !== undefined) checkRecoveryDays(recoveryDays);
        if (!options.yes && !process.stdin.isTTY) throw inputError("teardown needs a confirmation and there is no terminal: pass --yes");

        const stores = storesFor(context.aws());
        const declared = new Set((context.config?.secrets ?? []).map((secret) => `${secret.store}:${secret.fullName}`));
        const summaries = await listAll([stores.secretsmanager, stores.ssm], { prefix, includeDeleted: true });
        const plan = planTeardown(prefix, summaries, force, { declared, includeDeclared: Boolean(options.includeDeclared) });
        const acting = actingItems(plan).length;
        process.stdout.write(`${formatTeardownPlan(plan).join("\n")}\n`);
        if (acting === 0) {
          process.stdout.write("nothing to delete\n");
          return;
        }
        if (!options.yes) {
          const message = `Delete ${acting} secret${acting === 1 ? "" : "s"} under "${prefix}"${force ? " without recovery" : ""}?`;
          if (!(await confirmOnTerminal(message))) {
            process.stdout.write("nothing deleted\n");
            return 1;
          }
        }
        const progress = startProgress(context.progress, "deleting", acting);
        const outcomes = await applyTeardown(plan, stores, { recoveryDays, onDone: () => progress?.increment() }).finally(() => progress?.stop());
        process.stdout.write(`${formatTeardownOutcomes(outcomes).join("\n")}\n`);
        return outcomes.some((outcome) => outcome.error) ? 3 : 0;
      }),
    );
}
