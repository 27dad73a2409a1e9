/**
 * Worker threads running the detector in parallel. Compiled, a worker runs worker.js; from
 * the TypeScript source (vitest, the bench) it runs an esbuild bundle of worker.ts (worker.mjs).
 * Fragments travel in batches: one message per few hundred KB, not one per file.
 */
import { Worker } from "node:worker_threads";
import { withSecret, type Finding, type Fragment } from "../types.ts";

export interface FragmentMessage extends Omit<Fragment, "content"> {
  content: Uint8Array;
}

export interface BatchMessage {
  id: number;
  fragments: FragmentMessage[];
}

export type ResultMessage =
  /** Per fragment of the batch, in its order. */
  | { id: number; findings: { finding: Omit<Finding, "secret">; secret: string }[][] }
  | { id: number; error: string }
  /** Sent once the worker has loaded the detector. */
  | { ready: true };

interface Pending {
  resolve: (findings: Finding[][]) => void;
  reject: (error: Error) => void;
}

const WORKER_URL = new URL(import.meta.url.endsWith(".ts") ? "./worker.mjs" : "./worker.js", import.meta.url);

export class DetectorPool {
  private readonly workers: Worker[] = [];
  private readonly load: number[] = [];
  private readonly ready: boolean[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private failure: Error | undefined;

  /** `hashKey`: the fingerprints' key when not this process's default one. */
  constructor(size: number, hashKey?: Buffer) {
    for (let index = 0; index < size; index += 1) {
      const worker = new Worker(WORKER_URL, { execArgv: [], stdout: false, stderr: false, workerData: { hashKey } });
      worker.on("message", (message: ResultMessage) => this.settle(index, message));
      worker.on("error", (error) => this.fail(error));
      worker.on("exit", (code) => {
        if (code !== 0 && this.pending.size > 0) this.fail(new Error(`scan worker exited with code ${code}`));
      });
      this.workers.push(worker);
      this.load.push(0);
      this.ready.push(false);
    }
  }

  get size(): number {
    return this.workers.length;
  }

  /** Batches sent and not yet answered. */
  get inFlight(): number {
    return this.pending.size;
  }

  /** The loaded worker with the fewest batches waiting, if it has fewer than `limit`. */
  idleWorker(limit: number): number | undefined {
    let target: number | undefined;
    for (let index = 0; index < this.workers.length; index += 1) {
      if (this.ready[index] && (this.load[index] ?? 0) < limit && (target === undefined || (this.load[index] ?? 0) < (this.load[target] ?? 0))) target = index;
    }
    return target;
  }

  /**
   * Sends fragments to a worker (by default the least loaded) and resolves to their findings, fragment by fragment.
   * A Buffer that owns its whole memory is moved there and left empty.
   */
  detect(fragments: readonly Fragment[], target = this.leastLoaded()): Promise<Finding[][]> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    this.load[target] = (this.load[target] ?? 0) + 1;
    const moved = new Set<ArrayBuffer>();
    const message: BatchMessage = {
      id,
      fragments: fragments.map(({ content: view, ...meta }) => {
        // Cloning a view clones its whole backing store (git output is read in large chunks): send an exact copy, moved not cloned.
        const owns = view.byteOffset === 0 && view.byteLength === view.buffer.byteLength && view.buffer instanceof ArrayBuffer && !moved.has(view.buffer);
        const content = owns ? new Uint8Array(view.buffer) : new Uint8Array(view);
        moved.add(content.buffer as ArrayBuffer);
        return { ...meta, content };
      }),
    };
    return new Promise<Finding[][]>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.workers[target]?.postMessage(message, [...moved]);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  private leastLoaded(): number {
    let target = 0;
    for (let index = 1; index < this.load.length; index += 1) if ((this.load[index] ?? 0) < (this.load[target] ?? 0)) target = index;
    return target;
  }

  private settle(index: number, message: ResultMessage): void {
    if ("ready" in message) {
      this.ready[index] = true;
      return;
    }
    this.load[index] = Math.max(0, (this.load[index] ?? 1) - 1);
    const pending = this.pending.get(message.id);
    if (!pending) return;
    this.pending.delete(message.id);
    if ("error" in message) pending.reject(new Error(message.error));
    else pending.resolve(message.findings.map((found) => found.map(({ finding, secret }) => withSecret(finding, secret))));
  }

  private fail(error: Error): void {
    this.failure = error;
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }
}
