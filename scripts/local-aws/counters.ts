/**
 * Per-operation call counters. Every request that reaches the server is counted once,
 * before fault injection decides its fate, so a retried call counts each attempt and
 * tests can assert API cost (`total("secretsmanager.")`) and retries alike.
 */
const SECRET_WRITES = ["secretsmanager.CreateSecret", "secretsmanager.PutSecretValue", "ssm.PutParameter"];

export class CallCounters {
  private readonly counts = new Map<string, number>();

  add(operation: string): void {
    this.counts.set(operation, (this.counts.get(operation) ?? 0) + 1);
  }

  get(operation: string): number {
    return this.counts.get(operation) ?? 0;
  }

  /** All calls, or those whose operation name starts with `prefix` (e.g. "ssm."). */
  total(prefix = ""): number {
    let sum = 0;
    for (const [operation, count] of this.counts) if (operation.startsWith(prefix)) sum += count;
    return sum;
  }

  /** Calls that write a secret value: what a dry run or an unchanged re-run must never make. */
  writes(): number {
    return SECRET_WRITES.reduce((sum, operation) => sum + this.get(operation), 0);
  }

  byOperation(): Record<string, number> {
    return Object.fromEntries([...this.counts].sort(([a], [b]) => a.localeCompare(b)));
  }

  reset(): void {
    this.counts.clear();
  }
}
