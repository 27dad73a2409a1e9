/** The one output module: tables, JSON and progress bars for the commands. */
import { createRequire } from "node:module";
import type CliProgress from "cli-progress";
import type { SingleBar } from "cli-progress";

export function writeJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function writeTable(header: string[], rows: string[][]): void {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)));
  for (const row of [header, ...rows]) {
    process.stdout.write(`${row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join("  ").trimEnd()}\n`);
  }
}

export function formatDate(date: Date | undefined): string {
  return date ? date.toISOString().replace("T", " ").slice(0, 19) : "";
}

/** A progress bar on stderr for long work, only when progress is on and there is more than one step. */
export function startProgress(progress: boolean, label: string, total: number): SingleBar | undefined {
  if (!progress || total < 2) return undefined;
  // Loaded on first use: commands that show no bar do not pay for it.
  const { SingleBar: Bar } = createRequire(import.meta.url)("cli-progress") as typeof CliProgress;
  const bar = new Bar({ format: `${label} [{bar}] {value}/{total}`, stream: process.stderr, clearOnComplete: true, hideCursor: true });
  bar.start(total, 0);
  return bar;
}

/** Asks a yes/no question on the terminal, default no; Ctrl-C counts as no. */
export async function confirmOnTerminal(message: string): Promise<boolean> {
  const { confirm } = await import("@inquirer/prompts");
  return confirm({ message, default: false }).catch((error: Error) => {
    if (error.name === "ExitPromptError") return false;
    throw error;
  });
}
