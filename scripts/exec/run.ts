/**
 * Runs a command as `vaultlift exec` does: its own stdio, the given environment, every
 * signal vaultlift receives passed on, and its exit status returned (128 + N for signal N,
 * as shells report it). Values travel in the environment only, never in argv.
 */
import { spawn } from "node:child_process";
import { constants } from "node:os";
import { inputError } from "../../core/errors.ts";

const FORWARDED: readonly NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGWINCH"];

export function runCommand(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: "inherit", env });
    const forward = new Map<NodeJS.Signals, () => void>();
    // A terminal sends Ctrl-C, Ctrl-\ and resizes to the whole foreground group, the command included: passing them on would deliver them twice.
    const fromTerminal = new Set<NodeJS.Signals>(process.stdin.isTTY ? ["SIGINT", "SIGQUIT", "SIGWINCH"] : []);
    for (const signal of FORWARDED) {
      const handler = () => {
        if (!fromTerminal.has(signal) && child.exitCode === null && child.signalCode === null) child.kill(signal);
      };
      forward.set(signal, handler);
      process.on(signal, handler);
    }
    const release = () => {
      for (const [signal, handler] of forward) process.removeListener(signal, handler);
    };
    child.once("error", (error: NodeJS.ErrnoException) => {
      release();
      reject(error.code === "ENOENT" ? inputError(`${command}: command not found`) : error.code === "EACCES" ? inputError(`${command}: permission denied`) : error);
    });
    child.once("exit", (code, signal) => {
      release();
      resolve(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0));
    });
  });
}
