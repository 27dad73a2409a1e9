/**
 * Teardown: every secret and parameter under a prefix, planned as a value and then deleted.
 * With force, Secrets Manager secrets (scheduled ones too) go without recovery, so names can be reused.
 */
import type { Stores } from "./index.ts";
import type { SecretSummary, Store } from "./types.ts";

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

export function actingItems(plan: TeardownPlan): TeardownItem[] {
  return plan.items.filter((item) => item.action !== "keep");
}

export function formatTeardownPlan(plan: TeardownPlan): string[] {
  const acting = actingItems(plan).length;
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
  const acting = actingItems(plan);
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

export function formatTeardownOutcomes(outcomes: readonly TeardownOutcome[]): string[] {
  const failed = outcomes.filter((outcome) => outcome.error).length;
  return [
    ...outcomes.map(({ item, error }) =>
      error ? `failed   ${item.store.padEnd(14)}  ${item.name}: ${error.message.split("\n")[0]}` : `${DONE_WORDS[item.action]}: ${item.store} ${item.name}`,
    ),
    `${outcomes.length - failed} deleted, ${failed} failed`,
  ];
}
