import type { Store } from "../../core/naming.ts";
import type { SecretStore, SecretValue, WriteOptions, WriteResult } from "../../scripts/store/types.ts";

/** A SecretStore in memory that records its calls, for apply-engine tests without AWS. */
export class MemoryStore implements SecretStore {
  readonly history = new Map<string, { value: string; versionId: string }[]>();
  readonly calls: string[] = [];
  failWrites = new Set<string>();

  constructor(readonly kind: Store) {}

  async readMany(names: readonly string[]): Promise<Map<string, SecretValue>> {
    this.calls.push(`readMany:${names.length}`);
    const found = new Map<string, SecretValue>();
    for (const name of names) {
      const current = this.history.get(name)?.at(-1);
      if (current) found.set(name, { name, store: this.kind, value: current.value, versionId: current.versionId, stages: ["AWSCURRENT"] });
    }
    return found;
  }

  async write(name: string, value: string, options: WriteOptions = {}): Promise<WriteResult> {
    this.calls.push(`write:${name}`);
    if (this.failWrites.has(name)) throw Object.assign(new Error("simulated failure"), { name: "InternalServiceError" });
    const history = this.history.get(name) ?? [];
    const versionId = options.clientRequestToken ?? String(history.length + 1);
    const same = history.find((version) => version.versionId === versionId);
    if (same) {
      if (same.value !== value) throw Object.assign(new Error("token reused with another value"), { name: "ResourceExistsException" });
      return { versionId, created: false };
    }
    history.push({ value, versionId });
    this.history.set(name, history);
    return { versionId, created: history.length === 1 };
  }

  list(): AsyncIterable<never> {
    throw new Error("not used");
  }
  async describe(): Promise<undefined> {
    return undefined;
  }
  async versions(): Promise<[]> {
    return [];
  }
  async read(): Promise<undefined> {
    return undefined;
  }
  async delete(): Promise<void> {}
  async restore(): Promise<void> {}
}
