/**
 * Teardown: every secret and parameter under a prefix, planned as a value and then deleted.
 * With force, Secrets Manager secrets (scheduled ones too) go without recovery, so names can be reused.
 * A prefix matches whole path segments, and secrets the config declares (bootstrap-managed)
 * are named in the plan and kept unless asked for.
 */
import type { Stores } from "./index.ts";
import type { SecretSummary, Store } from "./types.ts";

/**
 * `schedule`: recovery window; `force-delete`: now, no recovery; `delete`: SSM (always at once);
 * `keep`: already scheduled; `protected`: declared in the config and not asked for.
 */
export type TeardownAction = "schedule" | "force-delete" | "delete" | "keep" | "protected";

export interface TeardownItem {
  name: string;
  store: Store;
  deletionDate?: Date;
  action: TeardownAction;
  /** Declared in the config (made by the bootstrap stacks). */
  declared?: boolean;
}

export interface TeardownOptions {
  /** `store:name` of every secret the config declares. */
  declared?: ReadonlySet<string>;
  /** Delete declared secrets too (`--include-declared`). */
  includeDeclared?: boolean;
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

/** `/acme/pay` holds `/acme/pay` and `/acme/pay/...`, never `/acme/payroll`; a prefix ending in `/` holds what starts with it. */
export function withinPrefix(name: string, prefix: string): boolean {
  if (prefix.endsWith("/")) return name.startsWith(prefix);
  return name === prefix || name.startsWith(`${prefix}/`);
}

export function planTeardown(prefix: string, summaries: readonly SecretSummary[], force: boolean, options: TeardownOptions = {}): TeardownPlan {
  const inside = summaries.filter((summary) => withinPrefix(summary.name, prefix));
  const items = inside.map((summary): TeardownItem => {
    const declared = options.declared?.has(`${summary.store}:${summary.name}`) ?? false;
    const base = { name: summary.name, store: summary.store, deletionDate: summary.deletionDate, ...(declared ? { declared } : {}) };
    if (declared && !options.includeDeclared) return { ...base, action: "protected" };
    if (summary.store === "ssm") return { ...base, action: "delete" };
    if (force) return { ...base, action: "force-delete" };
    return { ...base, action: summary.deletionDate ? "keep" : "schedule" };
  });
  return { prefix, force, items };
}

export function actingItems(plan: TeardownPlan): TeardownItem[] {
  return plan.items.filter((item) => item.action !== "keep" && item.action !== "protected");
}

export function formatTeardownPlan(plan: TeardownPlan): string[] {
  const acting = actingItems(plan).length;
  const kept = plan.items.filter((item) => item.action === "keep").length;
  const guarded = plan.items.length - acting - kept;
  const lines = [
    `teardown of "${plan.prefix}": ${acting} to delete${plan.force ? " without recovery" : ""}, ${kept} already scheduled${guarded > 0 ? `, ${guarded} declared in the config and kept` : ""}`,
  ];
  for (const item of plan.items) {
    const state = item.deletionDate ? `scheduled for deletion ${item.deletionDate.toISOString().slice(0, 10)}` : "live";
    const declared = item.action === "protected" ? "; declared in vaultlift.yaml: --include-declared to delete" : item.declared ? "; declared in vaultlift.yaml" : "";
    lines.push(`  ${item.action.padEnd(12)}  ${item.store.padEnd(14)}  ${item.name}  (${state}${declared})`);
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
  protected: "kept (declared)",
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
