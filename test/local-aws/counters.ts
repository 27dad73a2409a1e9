/**
 * Per-operation call counters. Every request that reaches the server is counted once,
 * before fault injection decides its fate, so a retried call counts each attempt and
 * tests can assert API cost (`total("secretsmanager.")`) and retries alike.
 */
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

  byOperation(): Record<string, number> {
    return Object.fromEntries([...this.counts].sort(([a], [b]) => a.localeCompare(b)));
  }

  reset(): void {
    this.counts.clear();
  }
}
