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

/** Formats read by a person; any other (json, sarif) is read by a program and gets no progress. */
const FOR_PEOPLE = new Set(["table"]);

/**
 * Whether to draw progress: `enabled` is the context's (not --no-progress, not CI), the
 * report `format` is read by a person, and stderr is a terminal. Bars never go to stdout.
 */
export function progressWanted(enabled: boolean, format = "table"): boolean {
  return enabled && FOR_PEOPLE.has(format) && Boolean(process.stderr.isTTY);
}

/** A progress bar on stderr for long work, only when progress is wanted and there is more than one step. */
export function startProgress(progress: boolean, label: string, total: number): SingleBar | undefined {
  if (!progressWanted(progress) || total < 2) return undefined;
  const bar = newBar(`${label} [{bar}] {value}/{total}`);
  bar.start(total, 0);
  return bar;
}

/** A one-line status on stderr for work of unknown size: `template`'s `{field}`s filled by each update; drawn from the first one. */
export function startStatus(progress: boolean, template: string, format?: string): { update: (fields: Record<string, string | number>) => void; stop: () => void } | undefined {
  if (!progressWanted(progress, format)) return undefined;
  const bar = newBar(template, 5);
  let started = false;
  return {
    update(fields) {
      if (started) bar.update(0, fields);
      else bar.start(0, 0, fields);
      started = true;
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

function newBar(format: string, fps?: number): SingleBar {
  // Loaded on first use: commands that show no bar do not pay for it.
  const { SingleBar: Bar } = createRequire(import.meta.url)("cli-progress") as typeof CliProgress;
  return new Bar({ format, stream: process.stderr, clearOnComplete: true, hideCursor: true, ...(fps !== undefined && { fps }) });
}

/** Asks a yes/no question on the terminal, default no; Ctrl-C counts as no. */
export async function confirmOnTerminal(message: string): Promise<boolean> {
  const { confirm } = await import("@inquirer/prompts");
  return confirm({ message, default: false }).catch((error: Error) => {
    if (error.name === "ExitPromptError") return false;
    throw error;
  });
}
