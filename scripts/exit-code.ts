/** The exit code a command action chose, kept on the root command until `main` returns it. */
import type { Command } from "commander";

const EXIT_CODE = Symbol("vaultlift.exitCode");

export function setExitCode(command: Command, code: number): void {
  let root: Command = command;
  while (root.parent) root = root.parent;
  (root as Command & { [EXIT_CODE]?: number })[EXIT_CODE] = code;
}

export function exitCodeOf(program: Command): number {
  return (program as Command & { [EXIT_CODE]?: number })[EXIT_CODE] ?? 0;
}
