/**
 * Counts the API calls a run makes, from SDK middleware on the clients it uses: one per
 * operation called (`secretsmanager.PutSecretValue`) and one per HTTP attempt, so the
 * final report shows what the run cost, retries included.
 */
type Handler = (args: unknown) => Promise<unknown>;
interface Watchable {
  middlewareStack: {
    add(middleware: (next: Handler, context: { commandName?: string }) => Handler, options: { step: "initialize" | "deserialize"; name: string; override: boolean }): void;
  };
}

export interface CallCounter {
  /** Operations called, by `service.Operation`. */
  readonly calls: Map<string, number>;
  /** HTTP attempts, retries included. */
  attempts: number;
  total(): number;
  /** Adds the counting middleware to an AWS SDK v3 client (once per client). */
  watch(service: string, client: object): void;
}

const COUNTER = "vaultliftCallCounter";

export function createCallCounter(): CallCounter {
  const watched = new WeakSet<object>();
  const counter: CallCounter = {
    calls: new Map(),
    attempts: 0,
    total: () => [...counter.calls.values()].reduce((sum, count) => sum + count, 0),
    watch(service, client) {
      const stack = (client as Watchable).middlewareStack;
      if (watched.has(client)) return;
      watched.add(client);
      stack.add(
        (next, context) => async (args) => {
          const operation = `${service}.${String(context.commandName ?? "?").replace(/Command$/, "")}`;
          counter.calls.set(operation, (counter.calls.get(operation) ?? 0) + 1);
          return next(args);
        },
        { step: "initialize", name: `${COUNTER}Calls`, override: true },
      );
      // The deserialize step runs inside the retry loop: once per attempt.
      stack.add(
        (next) => async (args) => {
          counter.attempts += 1;
          return next(args);
        },
        { step: "deserialize", name: `${COUNTER}Attempts`, override: true },
      );
    },
  };
  return counter;
}

/** `12 calls (secretsmanager.BatchGetSecretValue 2, ...), 13 HTTP attempts` */
export function formatCalls(counter: CallCounter): string {
  const parts = [...counter.calls.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([operation, count]) => `${operation} ${count}`);
  return `${counter.total()} calls${parts.length > 0 ? ` (${parts.join(", ")})` : ""}, ${counter.attempts} HTTP attempts`;
}
