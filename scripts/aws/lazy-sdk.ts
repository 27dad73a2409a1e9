/**
 * AWS SDK packages loaded on first use. A store names its commands with `commandsOf`
 * (`new GetSecretValueCommand({...})` reads as with the SDK) and sends them through a
 * `LazyClient`, which imports the SDK package and builds the real command only when the
 * first request is made: `vaultlift --help` loads no SDK, `secrets get` only Secrets Manager's.
 */

/** A command to be built by the SDK package once it is loaded. */
export interface DeferredCommand<Name extends string, Input, Output> {
  readonly commandName: Name;
  readonly input: Input;
  /** Type only: what the command returns. */
  readonly output?: Output;
  /** Middleware added to this command alone, as on an SDK command; put on the real one when it is built. */
  readonly middlewareStack: { add(middleware: unknown, options: unknown): void };
}

type AnyCommandClass = new (...args: never[]) => { resolveMiddleware(...args: never[]): (...args: never[]) => Promise<{ output: unknown }> };
// Commands whose input fields are all optional take `...[input]: [] | [Input]`.
type InputOf<C> = C extends new (...args: infer A) => unknown ? NonNullable<A[0]> : never;
type OutputOf<C> = C extends new (...args: never[]) => { resolveMiddleware(...args: never[]): (...args: never[]) => Promise<{ output: infer O }> } ? O : never;
type CommandNames<Sdk> = { [K in keyof Sdk]: K extends `${string}Command` ? (Sdk[K] extends AnyCommandClass ? K : never) : never }[keyof Sdk] & string;

/** Stand-ins for an SDK package's command classes, with the same names, inputs and outputs. */
export function commandsOf<Sdk>() {
  return <K extends CommandNames<Sdk>>(commandName: K) =>
    class {
      readonly commandName = commandName;
      readonly added: [unknown, unknown][] = [];
      readonly middlewareStack = { add: (middleware: unknown, options: unknown) => void this.added.push([middleware, options]) };
      constructor(readonly input: InputOf<Sdk[K]>) {}
    } as unknown as new (input: InputOf<Sdk[K]>) => DeferredCommand<K, InputOf<Sdk[K]>, OutputOf<Sdk[K]>>;
}

interface SdkClient {
  send(command: never): Promise<unknown>;
}

export interface LazyClient {
  send<Output>(command: DeferredCommand<string, unknown, Output>): Promise<Output>;
}

/**
 * A client that loads its SDK package on the first `send`. `client` is a built SDK client
 * (tests, callers with their own) or a function that builds one on first use.
 */
export function lazyClient(client: SdkClient | (() => Promise<SdkClient>), loadSdk: () => Promise<object>): LazyClient {
  type RealCommand = { middlewareStack: { add(middleware: unknown, options: unknown): void } };
  let resolved: Promise<{ client: SdkClient; sdk: Record<string, new (input: unknown) => RealCommand> }> | undefined;
  const resolve = async () => ({
    client: typeof client === "function" ? await client() : client,
    sdk: (await loadSdk()) as Record<string, new (input: unknown) => RealCommand>,
  });
  return {
    async send<Output>(command: DeferredCommand<string, unknown, Output>): Promise<Output> {
      if (!resolved) {
        resolved = resolve();
        // A failed load (no credentials, a missing package) is tried again by the next call.
        resolved.catch(() => (resolved = undefined));
      }
      const { client: real, sdk } = await resolved;
      const Command = sdk[command.commandName];
      if (!Command) throw new Error(`the AWS SDK package has no ${command.commandName}`);
      const built = new Command(command.input);
      for (const [middleware, options] of (command as unknown as { added?: [unknown, unknown][] }).added ?? []) built.middlewareStack.add(middleware, options);
      return (await real.send(built as never)) as Output;
    },
  };
}
