/**
 * `vaultlift teardown`: delete every secret and parameter under a prefix, after a plan and
 * confirmation. With --force-delete-without-recovery the names can be reused at once.
 */
import { confirm } from "@inquirer/prompts";
import type { Command } from "commander";
import { inputError } from "../../core/errors.ts";
import { action } from "../context.ts";
import { checkRecoveryDays } from "../store/secrets-manager.ts";
import { listAll, storesFor, type Stores } from "../store/index.ts";
import type { SecretSummary, Store } from "../store/types.ts";
import { startProgress } from "./secrets.ts";

/** `schedule`: recovery window; `force-delete`: now, no recovery; `delete`: SSM (always at once); `keep`: already scheduled. */
export type TeardownAction = "schedule" | "force-delete" | "delete" | "keep";

export interface TeardownItem {
  name: string;
  store: Store;
  deletionDate?: Date;
  action: TeardownAction;
}

export interface TeardownPlan {
  prefix: string;
  force: boolean;
  items: TeardownItem[];
}

export interface TeardownOutcome {
  item: TeardownItem;
  error?: Error;
}

const CONCURRENCY = 8;

export function planTeardown(prefix: string, summaries: readonly SecretSummary[], force: boolean): TeardownPlan {
  const items = summaries.map((summary): TeardownItem => {
    const base = { name: summary.name, store: summary.store, deletionDate: summary.deletionDate };
    if (summary.store === "ssm") return { ...base, action: "delete" };
    if (force) return { ...base, action: "force-delete" };
    return { ...base, action: summary.deletionDate ? "keep" : "schedule" };
  });
  return { prefix, force, items };
}

export function formatPlan(plan: TeardownPlan): string[] {
  const acting = plan.items.filter((item) => item.action !== "keep").length;
  const lines = [`teardown of "${plan.prefix}": ${acting} to delete${plan.force ? " without recovery" : ""}, ${plan.items.length - acting} already scheduled`];
  for (const item of plan.items) {
    const state = item.deletionDate ? `scheduled for deletion ${item.deletionDate.toISOString().slice(0, 10)}` : "live";
    lines.push(`  ${item.action.padEnd(12)}  ${item.store.padEnd(14)}  ${item.name}  (${state})`);
  }
  return lines;
}

/** Deletes what the plan says: Secrets Manager a few at a time, SSM in batches where the store has them. */
export async function applyTeardown(plan: TeardownPlan, stores: Stores, options: { recoveryDays?: number; onDone?: () => void } = {}): Promise<TeardownOutcome[]> {
  const outcomes: TeardownOutcome[] = [];
  const done = (outcome: TeardownOutcome) => {
    outcomes.push(outcome);
    options.onDone?.();
  };
  const acting = plan.items.filter((item) => item.action !== "keep");
  const ssmItems = acting.filter((item) => item.store === "ssm");
  const ssm = stores.ssm;
  if (ssmItems.length > 0 && ssm.deleteMany) {
    const result = await ssm.deleteMany(ssmItems.map((item) => item.name));
    const failed = new Map(result.failed.map((failure) => [failure.name, failure.error]));
    for (const item of ssmItems) done({ item, error: failed.get(item.name) });
  }
  const queue = acting.filter((item) => item.store !== "ssm" || !ssm.deleteMany);
  const worker = async () => {
    for (let item = queue.shift(); item; item = queue.shift()) {
      try {
        await stores[item.store].delete(item.name, item.action === "schedule" ? { recoveryDays: options.recoveryDays } : { force: true });
        done({ item });
      } catch (error) {
        done({ item, error: error as Error });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, queue.length) }, worker));
  return outcomes.sort((a, b) => a.item.name.localeCompare(b.item.name) || a.item.store.localeCompare(b.item.store));
}

const DONE_WORDS: Record<TeardownAction, string> = {
  schedule: "scheduled for deletion",
  "force-delete": "deleted without recovery",
  delete: "deleted",
  keep: "left scheduled",
};

export function registerTeardown(program: Command): void {
  program
    .command("teardown")
    .description("delete every secret and parameter under a prefix (both stores, scheduled ones included), after a plan and confirmation")
    .requiredOption("--prefix <prefix>", "name prefix, e.g. /acme/payments/dev/")
    .option("--force-delete-without-recovery", "delete at once, scheduled secrets too, so names can be reused")
    .option("--recovery-days <days>", "recovery window for live Secrets Manager secrets, 7 to 30 (default 30)")
    .option("--yes", "do not ask for confirmation")
    .addHelpText("after", "\nSSM parameters have no recovery window: they are always deleted at once.\nExit 1 when the confirmation is declined, 3 when a deletion failed.")
    .action(
      action(async (context, options: { prefix: string; forceDeleteWithoutRecovery?: boolean; recoveryDays?: string; yes?: boolean }) => {
        const prefix = options.prefix;
        if (prefix.replace(/\/+/g, "") === "") throw inputError(`--prefix "${prefix}" would match every secret: name a narrower prefix`);
        const force = Boolean(options.forceDeleteWithoutRecovery);
        if (force && options.recoveryDays !== undefined) throw inputError("--recovery-days and --force-delete-without-recovery exclude each other");
        const recoveryDays = options.recoveryDays === undefined ? undefined : Number(options.recoveryDays);
        if (recoveryDays !== undefined) checkRecoveryDays(recoveryDays);
        if (!options.yes && !process.stdin.isTTY) throw inputError("teardown needs a confirmation and there is no terminal: pass --yes");

        const stores = storesFor(context.aws());
        const summaries = await listAll([stores.secretsmanager, stores.ssm], { prefix, includeDeleted: true });
        const plan = planTeardown(prefix, summaries, force);
        const acting = plan.items.filter((item) => item.action !== "keep").length;
        process.stdout.write(`${formatPlan(plan).join("\n")}\n`);
        if (acting === 0) {
          process.stdout.write("nothing to delete\n");
          return;
        }
        if (!options.yes) {
          const message = `Delete ${acting} secret${acting === 1 ? "" : "s"} under "${prefix}"${force ? " without recovery" : ""}?`;
          const confirmed = await confirm({ message, default: false }).catch((error: Error) => {
            if (error.name === "ExitPromptError") return false;
            throw error;
          });
          if (!confirmed) {
            process.stdout.write("nothing deleted\n");
            return 1;
          }
        }

        const progress = startProgress(context, "deleting", acting);
        let outcomes: TeardownOutcome[];
        try {
          outcomes = await applyTeardown(plan, stores, { recoveryDays, onDone: () => progress?.increment() });
        } finally {
          progress?.stop();
        }
        const failed = outcomes.filter((outcome) => outcome.error);
        for (const { item, error } of outcomes) {
          if (error) process.stdout.write(`failed   ${item.store.padEnd(14)}  ${item.name}: ${error.message.split("\n")[0]}\n`);
          else process.stdout.write(`${DONE_WORDS[item.action]}: ${item.store} ${item.name}\n`);
        }
        process.stdout.write(`${outcomes.length - failed.length} deleted, ${failed.length} failed\n`);
        return failed.length > 0 ? 3 : 0;
      }),
    );
}
