/**
 * The interactive session: for each distinct value, show where it was found, its
 * redacted form and the suggested name, and ask import / skip / rename / allowlist.
 * Nothing is written while asking; allowlisted fingerprints are returned for the caller
 * to append to the baseline once the plan is confirmed, so Ctrl-C leaves nothing behind.
 */
import { confirm, input, select } from "@inquirer/prompts";
import type { Store } from "../../core/naming.ts";
import { describeLocation, type Candidate } from "./candidate.ts";
import type { Decision } from "./plan.ts";

/** Where the prompts read and write: the terminal by default; tests pass streams. */
export type PromptContext = Parameters<typeof select>[1];

export interface InteractiveOptions {
  /** The name a candidate gets when imported as is. */
  suggest(candidate: Candidate): { name: string; store: Store };
  /** An error message for a name the user typed, or undefined when it is valid. */
  checkName(name: string, store: Store): string | undefined;
  context?: PromptContext;
}

export interface InteractiveResult {
  decisions: Map<string, Decision>;
  allowlisted: Candidate[];
}

type Choice = "import" | "skip" | "rename" | "allowlist";

/** Candidates with the same value are asked about once. */
export function groupByValue(candidates: readonly Candidate[]): Candidate[][] {
  const groups = new Map<string, Candidate[]>();
  for (const candidate of candidates) groups.set(candidate.value, [...(groups.get(candidate.value) ?? []), candidate]);
  return [...groups.values()];
}

export async function decideInteractively(candidates: readonly Candidate[], options: InteractiveOptions): Promise<InteractiveResult> {
  const decisions = new Map<string, Decision>();
  const allowlisted: Candidate[] = [];
  const groups = groupByValue(candidates);
  for (const [index, group] of groups.entries()) {
    const first = group.find((candidate) => candidate.originalName) ?? (group[0] as Candidate);
    const suggestion = options.suggest(first);
    const superseded = group.every((candidate) => candidate.superseded);
    const lines = [
      `[${index + 1}/${groups.length}] ${first.redacted}  (${first.ruleId}${first.originalName ? `, was ${first.originalName}` : first.key ? `, key ${first.key}` : ""})`,
      ...group.map((candidate) => `    found in ${describeLocation(candidate)}${candidate.key && candidate !== first ? ` (${candidate.key})` : ""}`),
      ...(superseded ? ["    an older object version: the current version holds a different value"] : []),
      `    suggested name: ${suggestion.name} (${suggestion.store})`,
    ];
    const choice = await select<Choice>(
      {
        message: `${lines.join("\n")}\n  What should happen to it?`,
        choices: [
          { value: "import", name: "import under the suggested name" },
          { value: "skip", name: "skip" },
          { value: "rename", name: "import under another name" },
          { value: "allowlist", name: "allowlist (not a secret: add to the baseline)" },
        ],
        default: superseded ? "skip" : "import",
      },
      options.context,
    );
    let decision: Decision;
    if (choice === "rename") {
      const name = await input(
        {
          message: `Name (a full name, or a leaf under the naming template) for ${suggestion.store}:`,
          default: suggestion.name,
          validate: (text) => options.checkName(text.trim(), suggestion.store) ?? true,
        },
        options.context,
      );
      decision = { action: "import", name: name.trim(), store: suggestion.store };
    } else if (choice === "import") {
      decision = { action: "import", name: suggestion.name, store: suggestion.store };
    } else if (choice === "skip") {
      decision = { action: "skip", reason: "skipped interactively" };
    } else {
      decision = { action: "allowlist" };
      allowlisted.push(...group);
    }
    for (const candidate of group) decisions.set(candidate.fingerprint, decision);
  }
  return { decisions, allowlisted };
}

export async function confirmApply(message: string, context?: PromptContext): Promise<boolean> {
  return confirm({ message, default: false }, context);
}

/** Inquirer's way of saying the user pressed Ctrl-C (or the prompt was aborted). */
export function isPromptExit(error: unknown): boolean {
  const name = (error as { name?: string })?.name;
  return name === "ExitPromptError" || name === "AbortPromptError" || name === "CancelPromptError";
}
