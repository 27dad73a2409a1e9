/** `vaultlift exec`: run a command with secrets in its environment. */
import type { Command } from "commander";
import { inputError } from "../../core/errors.ts";
import { action } from "../context.ts";
import { resolveEnvironment } from "../exec/environment.ts";
import { runCommand } from "../exec/run.ts";
import { storesFor } from "../store/index.ts";

const collect = (value: string, previous: string[]) => [...previous, value];

export function register(command: Command): void {
  command
    .argument("<command...>", "the command and its arguments, after --")
    .option("--env-file <file>", ".env file whose values may be references (vaultlift:secretsmanager:NAME, vaultlift:ssm:NAME); repeatable", collect, [])
    .option("--prefix <prefix>", "every secret under PREFIX as a variable: leaf db-password -> DB_PASSWORD; repeatable", collect, [])
    .passThroughOptions()
    .addHelpText(
      "after",
      `
Later sources win: the inherited environment, then --prefix values, then --env-file lines.
Variables that make programs load code (LD_*, DYLD_*, NODE_OPTIONS, PYTHONPATH, ...) are refused from secrets.
The exit code is the command's; signals are passed on to it.
  vaultlift exec --env-file .env -- node server.js
  vaultlift exec --prefix /acme/payments/prod/api/ -- ./run.sh`,
    )
    .action(
      action(async (context, argv: string[], options: { envFile: string[]; prefix: string[] }) => {
        const [program, ...args] = argv;
        if (!program) throw inputError("give the command to run after --");
        const environment = await resolveEnvironment(storesFor(context.aws()), { envFiles: options.envFile, prefixes: options.prefix });
        context.close();
        return runCommand(program, args, { ...process.env, ...Object.fromEntries(environment.variables) });
      }),
    );
}
