/**
 * Fault injection: decides, per request, whether to add latency and whether to answer
 * with a throttle, a 500, a dropped connection, or a lost reply (applied, then dropped). Randomness comes from a seeded
 * generator so a failing test can be replayed.
 */
import { seeded } from "./random.ts";

export interface FaultConfig {
  /** 0..1: fraction of matching calls answered with ThrottlingException (400). */
  throttleRate?: number;
  /** Throttle calls of one operation above this rate per second. */
  throttleAboveTps?: number;
  /** 0..1: 500 InternalServiceError. */
  errorRate?: number;
  /** 0..1: destroy the socket without answering. */
  dropRate?: number;
  /** 0..1: apply the request, then destroy the socket without answering (the reply is lost; Secrets Manager and SSM only). */
  lostReplyRate?: number;
  /** The fault of each next matching call, in order (null: none), before any rate applies: `[null, "error"]` fails the second call. */
  sequence?: (FaultKind | null)[];
  /** Added to every matching call. */
  latencyMs?: number;
  /** Limit faults to these operations, e.g. ["secretsmanager.PutSecretValue"]. */
  operations?: string[];
  /** Deterministic randomness. */
  seed?: number;
}

export type FaultKind = "throttle" | "error" | "drop" | "lost-reply";

export interface FaultDecision {
  latencyMs: number;
  kind?: FaultKind;
}

const WINDOW_MS = 1000;

export class FaultInjector {
  private config: FaultConfig = {};
  private random: () => number = Math.random;
  /** Accepted calls per operation within the last second, oldest first. */
  private readonly recent = new Map<string, number[]>();
  private readonly counts = new Map<string, number>();

  constructor(config?: FaultConfig) {
    if (config) this.set(config);
  }

  set(config: FaultConfig): void {
    for (const key of ["throttleRate", "errorRate", "dropRate", "lostReplyRate"] as const) {
      const rate = config[key];
      if (rate !== undefined && !(rate >= 0 && rate <= 1)) throw new RangeError(`faults.${key} must be between 0 and 1, got ${rate}`);
    }
    this.apply(config);
    this.counts.clear();
  }

  /** Stops injecting; what was injected stays readable until the next `set`. */
  clear(): void {
    this.apply({});
  }

  private apply(config: FaultConfig): void {
    this.config = { ...config, ...(config.sequence ? { sequence: [...config.sequence] } : {}) };
    this.random = config.seed === undefined ? Math.random : seeded(config.seed);
    this.recent.clear();
  }

  /**
   * What was injected: per kind ("throttle", "error", "drop", "lost-reply", "latency") and per kind
   * and operation ("throttle:secretsmanager.PutSecretValue").
   */
  injected(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }

  decide(operation: string, now = Date.now()): FaultDecision {
    const config = this.config;
    if (config.operations && !config.operations.includes(operation)) return { latencyMs: 0 };
    const latencyMs = config.latencyMs ?? 0;
    if (latencyMs > 0) this.record("latency", operation);
    const kind = this.pick(operation, now);
    if (kind) this.record(kind, operation);
    return { latencyMs, ...(kind ? { kind } : {}) };
  }

  private pick(operation: string, now: number): FaultKind | undefined {
    const config = this.config;
    if (config.sequence && config.sequence.length > 0) return config.sequence.shift() ?? undefined;
    if (config.lostReplyRate && this.random() < config.lostReplyRate) return "lost-reply";
    if (config.dropRate && this.random() < config.dropRate) return "drop";
    if (config.errorRate && this.random() < config.errorRate) return "error";
    if (config.throttleRate && this.random() < config.throttleRate) return "throttle";
    if (config.throttleAboveTps !== undefined) {
      const times = this.recent.get(operation) ?? [];
      while (times.length > 0 && (times[0] as number) <= now - WINDOW_MS) times.shift();
      this.recent.set(operation, times);
      if (times.length >= config.throttleAboveTps) return "throttle";
      times.push(now);
    }
    return undefined;
  }

  private record(kind: string, operation: string): void {
    for (const key of [kind, `${kind}:${operation}`]) this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }
}
