/**
 * The interactive session: for each distinct value, show where it was found, its
 * redacted form and the suggested name, and ask import / skip / rename / allowlist / store
 * and type / rotate / back. A name already taken by another value is raised at once (rename,
 * merge or skip). Every answer is saved as it is given (decisions only, never values), so
 * a session stopped half-way resumes where it stopped. Nothing is written to AWS while
 * asking; allowlisted fingerprints are returned for the caller to append to the baseline
 * once the plan is confirmed, so Ctrl-C leaves nothing behind but the saved answers.
 */
import { readFileSync } from "node:fs";
import { confirm, input, select } from "@inquirer/prompts";
import type { Store } from "../../core/naming.ts";
import { describeLocation, type Candidate } from "./candidate.ts";
import { databaseSecret } from "./connection.ts";
import type { Decision } from "./plan.ts";
import { writePrivateFile } from "./state.ts";

/** Where the prompts read and write: the terminal by default; tests pass streams. */
export type PromptContext = Parameters<typeof select>[1];

export interface InteractiveOptions {
  /** The name a candidate gets when imported as is. */
  suggest(candidate: Candidate): { name: string; store: Store };
  /** An error message for a name the user typed, or undefined when it is valid. */
  checkName(name: string, store: Store): string | undefined;
  /** Where a decision puts a candidate (full name and store), or a one-line problem; default: the decision's own name. */
  target?(candidate: Candidate, decision: Decision): { name: string; store: Store } | string;
  /** Saved answers: read at the start, rewritten after every answer. */
  answersFile?: string;
  context?: PromptContext;
}

export interface InteractiveResult {
  decisions: Map<string, Decision>;
  allowlisted: Candidate[];
  /** Groups answered in an earlier session and not asked again. */
  resumed: number;
}

type Choice = "import" | "skip" | "rename" | "allowlist" | "store" | "rotate" | "back";
type StoreChoice = "secretsmanager" | "database-json" | "SecureString" | "String" | "StringList";

/** Candidates with the same value are asked about once. */
export function groupByValue(candidates: readonly Candidate[]): Candidate[][] {
  const groups = new Map<string, Candidate[]>();
  for (const candidate of candidates) {
    const group = groups.get(candidate.value);
    if (group) group.push(candidate);
    else groups.set(candidate.value, [candidate]);
  }
  return [...groups.values()];
}

/** Answers saved by an earlier session: fingerprint -> decision. A missing or unreadable file is a fresh start. */
export function readAnswers(file: string | undefined): Map<string, Decision> {
  if (!file) return new Map();
  try {
    const saved = JSON.parse(readFileSync(file, "utf8")) as { answers?: Record<string, Decision> };
    return new Map(Object.entries(saved.answers ?? {}));
  } catch {
    return new Map();
  }
}

export async function decideInteractively(candidates: readonly Candidate[], options: InteractiveOptions): Promise<InteractiveResult> {
  const saved = readAnswers(options.answersFile);
  const decisions = new Map<string, Decision>();
  const groups = groupByValue(candidates);
  const answered = (group: Candidate[]) => group.every((candidate) => saved.has(candidate.fingerprint));
  let resumed = 0;
  for (const group of groups) {
    if (!answered(group)) continue;
    for (const candidate of group) decisions.set(candidate.fingerprint, saved.get(candidate.fingerprint) as Decision);
    resumed += 1;
  }
  const save = () => {
    if (options.answersFile) writePrivateFile(options.answersFile, `${JSON.stringify({ version: 1, answers: Object.fromEntries(decisions) }, null, 2)}\n`);
  };
  const targetOf = (candidate: Candidate, decision: Decision) =>
    options.target?.(candidate, decision) ?? (decision.action === "import" && decision.name ? { name: decision.name, store: decision.store ?? "secretsmanager" } : options.suggest(candidate));
  // Each answered group's target is worked out once and indexed by name, so a collision check is a lookup, not a walk over every answer.
  const holders = new Map<string, Candidate[][]>();
  const heldBy = new Map<Candidate[], string>();
  const claim = (group: Candidate[], decision: Decision) => {
    if (decision.action !== "import") return;
    const target = targetOf(group[0] as Candidate, decision);
    if (typeof target === "string") return;
    const key = targetKey(target);
    holders.set(key, [...(holders.get(key) ?? []), group]);
    heldBy.set(group, key);
  };
  const release = (group: Candidate[]) => {
    const key = heldBy.get(group);
    if (key === undefined) return;
    const rest = (holders.get(key) ?? []).filter((other) => other !== group);
    if (rest.length > 0) holders.set(key, rest);
    else holders.delete(key);
    heldBy.delete(group);
  };
  const holderOf = (target: { name: string; store: Store }, group: Candidate[]) => holders.get(targetKey(target))?.find((other) => other !== group);
  for (const group of groups) if (answered(group)) claim(group, decisions.get((group[0] as Candidate).fingerprint) as Decision);

  const pending = groups.filter((group) => !answered(group));
  const asked: number[] = [];
  for (let index = 0; index < pending.length; ) {
    const group = pending[index] as Candidate[];
    const decision = await ask(group, index, pending.length, asked.length > 0, options);
    if (decision === "back") {
      const previous = asked.pop() as number;
      for (const candidate of pending[previous] as Candidate[]) decisions.delete(candidate.fingerprint);
      release(pending[previous] as Candidate[]);
      save();
      index = previous;
      continue;
    }
    const settled = await settleCollision(group, decision, holderOf, targetOf, options);
    for (const candidate of group) decisions.set(candidate.fingerprint, settled);
    claim(group, settled);
    save();
    asked.push(index);
    index += 1;
  }
  const allowlisted = candidates.filter((candidate) => decisions.get(candidate.fingerprint)?.action === "allowlist");
  return { decisions, allowlisted, resumed };
}

function targetKey(target: { name: string; store: Store }): string {
  return `${target.store}\0${target.name}`;
}

async function ask(group: Candidate[], index: number, total: number, canGoBack: boolean, options: InteractiveOptions): Promise<Decision | "back"> {
  const first = group.find((candidate) => candidate.originalName) ?? (group[0] as Candidate);
  const suggestion = options.suggest(first);
  const superseded = group.every((candidate) => candidate.superseded);
  const historyOnly = group.every((candidate) => candidate.historyOnly);
  const lines = [
    `[${index + 1}/${total}] ${first.redacted}  (${first.ruleId}${first.originalName ? `, was ${first.originalName}` : first.key ? `, key ${first.key}` : ""}${first.legacyType ? `, ${first.legacyType}` : ""})`,
    ...group.map((candidate) => `    found in ${describeLocation(candidate)}${candidate.key && candidate !== first ? ` (${candidate.key})` : ""}`),
    ...(superseded ? ["    an older version: the current version holds a different value"] : []),
    ...(historyOnly ? ["    found only in history: it is exposed and probably no longer used"] : []),
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
        { value: "store", name: "import into another store or as another parameter type" },
        { value: "rotate", name: "rotate, do not import (an exposed value: replace it at its source)" },
        ...(canGoBack ? [{ value: "back" as const, name: "back to the previous question" }] : []),
      ],
      default: historyOnly ? "rotate" : superseded ? "skip" : "import",
    },
    options.context,
  );
  switch (choice) {
    case "back":
      return "back";
    case "import":
      return { action: "import", name: suggestion.name, store: suggestion.store };
    case "skip":
      return { action: "skip", reason: "skipped interactively" };
    case "rotate":
      return { action: "skip", reason: "to rotate, not imported" };
    case "allowlist":
      return { action: "allowlist" };
    case "rename":
      return { action: "import", name: await askName(suggestion.store, suggestion.name, options), store: suggestion.store };
    case "store": {
      const where = await select<StoreChoice>(
        {
          message: "Where should it go?",
          choices: [
            { value: "secretsmanager", name: "Secrets Manager" },
            ...("json" in databaseSecret(first.value) ? [{ value: "database-json" as const, name: 'Secrets Manager, as the structured database secret rotation reads ({"engine","host","port","username","password","dbname"})' }] : []),
            { value: "SecureString", name: "SSM SecureString" },
            { value: "String", name: "SSM String (configuration, not a secret)" },
            { value: "StringList", name: "SSM StringList (configuration, not a secret)" },
          ],
          default: first.legacyType ?? (suggestion.store === "ssm" ? "SecureString" : "secretsmanager"),
        },
        options.context,
      );
      if (where === "secretsmanager") return { action: "import", store: "secretsmanager" };
      if (where === "database-json") return { action: "import", store: "secretsmanager", format: "database-json" };
      return { action: "import", store: "ssm", type: where };
    }
  }
}

async function askName(store: Store, suggested: string, options: InteractiveOptions): Promise<string> {
  const name = await input(
    {
      message: `Name (a full name, or a leaf under the naming template) for ${store}:`,
      default: suggested,
      validate: (text) => options.checkName(text.trim(), store) ?? true,
    },
    options.context,
  );
  return name.trim();
}

/** A name already given to a different value is raised now: rename this one, merge it into the other (keep the other value), or skip it. */
async function settleCollision(
  group: Candidate[],
  decision: Decision,
  holderOf: (target: { name: string; store: Store }, group: Candidate[]) => Candidate[] | undefined,
  targetOf: (candidate: Candidate, decision: Decision) => { name: string; store: Store } | string,
  options: InteractiveOptions,
): Promise<Decision> {
  let current = decision;
  for (;;) {
    if (current.action !== "import") return current;
    const mine = targetOf(group[0] as Candidate, current);
    if (typeof mine === "string") return current;
    const taken = holderOf(mine, group);
    if (!taken) return current;
    const what = await select<"rename" | "merge" | "skip">(
      {
        message: `${mine.name} (${mine.store}) is already the name of a different value, from ${describeLocation(taken[0] as Candidate)}. What now?`,
        choices: [
          { value: "rename", name: "give this value another name" },
          { value: "merge", name: `merge: keep the other value under ${mine.name}, do not import this one` },
          { value: "skip", name: "skip this value" },
        ],
      },
      options.context,
    );
    if (what === "merge") return { action: "skip", reason: `merged into ${mine.name}` };
    if (what === "skip") return { action: "skip", reason: "skipped interactively" };
    current = { ...current, name: await askName(mine.store, mine.name, options), store: mine.store };
  }
}

export async function confirmApply(message: string, context?: PromptContext): Promise<boolean> {
  return confirm({ message, default: false }, context);
}

/** Inquirer's way of saying the user pressed Ctrl-C (or the prompt was aborted). */
export function isPromptExit(error: unknown): boolean {
  const name = (error as { name?: string })?.name;
  return name === "ExitPromptError" || name === "AbortPromptError" || name === "CancelPromptError";
}
