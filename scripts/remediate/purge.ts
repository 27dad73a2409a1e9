/**
 * The history purge: a `git filter-repo --replace-text` expressions file that replaces
 * every migrated value found in a repository with `***REMOVED***`, and the commands and
 * warnings to run it. The file holds values, so it is written 0600 and never inside a work tree.
 */
import path from "node:path";
import { inputError } from "../../core/errors.ts";
import { writePrivateFile } from "../migrate/state.ts";
import { gitWorkTreeOf } from "../store/dump.ts";

export const REMOVED = "***REMOVED***";

/**
 * One `literal:VALUE==>***REMOVED***` line per value (filter-repo splits on the last `==>`,
 * so values holding `==>` survive); a multi-line value (a private key) is replaced line by line.
 */
export function purgeExpressions(values: Iterable<string>): string {
  const lines = new Set<string>();
  for (const value of values) for (const part of valueLines(value)) lines.add(`literal:${part}==>${REMOVED}`);
  // Longest first: filter-repo applies them in order, and a value inside a longer one must not break it up.
  return `${[...lines].sort((a, b) => b.length - a.length).join("\n")}\n`;
}

export function writePurgeFile(file: string, values: Iterable<string>): void {
  const repo = gitWorkTreeOf(path.dirname(path.resolve(file)));
  if (repo) throw inputError(`--purge-file ${file} is inside the git work tree ${repo}: it holds the values, so keep it outside any repository (e.g. ~/purge.txt)`);
  writePrivateFile(file, purgeExpressions(values));
}

/** The steps to rewrite one repository's history with the purge file. */
export function purgeInstructions(repository: { root: string; remote?: string }, file: string): string[] {
  const source = repository.remote ?? path.resolve(repository.root);
  const mirror = `${path.basename(path.resolve(repository.root))}-purge.git`;
  return [
    `purge the history of ${repository.root} (rotate those secrets first: rewriting history does not make a leaked value safe):`,
    `  git clone --mirror ${source} ${mirror}`,
    `  cd ${mirror}`,
    `  git filter-repo --replace-text ${path.resolve(file)}`,
    `  git clone . ../check && vaultlift scan ../check --history     # expect no migrated value`,
    `  git push --force --mirror ${source}`,
    `  shred -u ${path.resolve(file)}     # it holds the values`,
    "warnings:",
    "  - every commit id changes: open pull requests, signed commits and links to commits break",
    "  - everyone must re-clone; pushing an old clone brings the values back",
    "  - forks, CI caches, pull-request refs and the host's cached views keep the old commits: ask the host to purge them (GitHub: support)",
    "  - branch protection may refuse the force-push: lift it for the push, then restore it",
  ];
}

/** A value as it stands in a text file line by line: a multi-line value (a private key) is never on one line. */
export function valueLines(value: string): string[] {
  return value
    .split("\n")
    .map((line) => line.replace(/\r$/, ""))
    .filter((line) => line.trim() !== "");
}
