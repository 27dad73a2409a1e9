/**
 * The working tree: files under a directory (or one file), honouring `.gitignore` and
 * `.vaultliftignore` at every level, skipping `.git`, binaries and files over the size
 * limit, and following symlinks that stay inside the root without ever entering a
 * directory twice.
 */
import type { Dirent } from "node:fs";
import { lstat, readdir, readFile, realpath, stat } from "node:fs/promises";
import path from "node:path";
import ignore, { type Ignore } from "ignore";
import { inputError } from "../../../core/errors.ts";
import type { Fragment, Source } from "../types.ts";

export const IGNORE_FILES = [".gitignore", ".vaultliftignore"] as const;
/** Git's own store, and vaultlift's state (journal, hash key): never sources of findings. */
const SKIPPED_DIRECTORIES = new Set([".git", ".vaultlift"]);
const READ_BATCH = 16;

export interface DirectoryOptions {
  maxFileBytes: number;
  /** Called for each file left out and why, for stats. */
  onSkip?: (file: string, reason: "size" | "unreadable") => void;
}

interface Level {
  /** Directory relative to the root, "" for the root, with a trailing slash otherwise. */
  prefix: string;
  rules: Ignore;
}

export class DirectorySource implements Source {
  readonly label: string;
  skipped = 0;

  constructor(
    readonly root: string,
    private readonly options: DirectoryOptions,
  ) {
    this.label = `directory ${root}`;
  }

  async *fragments(): AsyncIterable<Fragment> {
    const info = await stat(this.root).catch((error: NodeJS.ErrnoException) => {
      throw inputError(`${this.root}: cannot scan: ${error.code === "ENOENT" ? "no such file or directory" : error.message}`);
    });
    if (info.isFile()) {
      const content = await this.read(this.root, path.basename(this.root), info.size);
      if (content) yield { path: path.basename(this.root), content, source: "file" };
      return;
    }
    this.realRoot = await realpath(this.root);
    yield* this.walk(this.root, [], new Set<string>());
  }

  private realRoot = "";

  /** Symlinks are followed only to targets inside the scanned root. */
  private inside(real: string): boolean {
    return real === this.realRoot || real.startsWith(this.realRoot.endsWith(path.sep) ? this.realRoot : `${this.realRoot}${path.sep}`);
  }

  private async *walk(directory: string, levels: Level[], seen: Set<string>): AsyncGenerator<Fragment> {
    const real = await realpath(directory).catch(() => undefined);
    if (!real || seen.has(real)) return;
    seen.add(real);
    const relativeDir = toPosix(path.relative(this.root, directory));
    const prefix = relativeDir === "" ? "" : `${relativeDir}/`;
    let entries: Dirent[];
    try {
      entries = await readdir(directory, { withFileTypes: true });
    } catch {
      this.skipped += 1;
      this.options.onSkip?.(prefix, "unreadable");
      return;
    }
    const own = await this.ignoreRules(directory, entries);
    const here = own ? [...levels, { prefix, rules: own }] : levels;
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const files: { full: string; relative: string; size?: number }[] = [];
    const directories: string[] = [];
    for (const entry of entries) {
      if (SKIPPED_DIRECTORIES.has(entry.name)) continue;
      const full = path.join(directory, entry.name);
      const relative = `${prefix}${entry.name}`;
      let isDirectory = entry.isDirectory();
      let isFile = entry.isFile();
      let size: number | undefined;
      if (entry.isSymbolicLink()) {
        const target = await realpath(full).catch(() => undefined);
        const info = target && this.inside(target) ? await stat(target).catch(() => undefined) : undefined;
        if (!info) continue;
        isDirectory = info.isDirectory();
        isFile = info.isFile();
        size = info.size;
      }
      if (isIgnored(here, relative, isDirectory)) continue;
      if (isDirectory) directories.push(full);
      else if (isFile) files.push({ full, relative, size });
    }
    // Read a directory's files a batch at a time: the disk and the page cache answer several requests at once.
    for (let start = 0; start < files.length; start += READ_BATCH) {
      const batch = files.slice(start, start + READ_BATCH);
      const contents = await Promise.all(
        batch.map(async (file) => {
          const size = file.size ?? (await lstat(file.full).catch(() => undefined))?.size;
          return size === undefined ? undefined : this.read(file.full, file.relative, size);
        }),
      );
      for (const [index, content] of contents.entries()) {
        if (content) yield { path: (batch[index] as { relative: string }).relative, content, source: "file" };
      }
    }
    for (const child of directories) yield* this.walk(child, here, seen);
  }

  private async read(full: string, relative: string, size: number): Promise<Buffer | undefined> {
    if (size > this.options.maxFileBytes) {
      this.skipped += 1;
      this.options.onSkip?.(relative, "size");
      return undefined;
    }
    try {
      return await readFile(full);
    } catch {
      this.skipped += 1;
      this.options.onSkip?.(relative, "unreadable");
      return undefined;
    }
  }

  private async ignoreRules(directory: string, entries: Dirent[]): Promise<Ignore | undefined> {
    let rules: Ignore | undefined;
    for (const name of IGNORE_FILES) {
      if (!entries.some((entry) => entry.name === name)) continue;
      const text = await readFile(path.join(directory, name), "utf8").catch(() => undefined);
      if (text !== undefined) (rules ??= ignore()).add(text);
    }
    return rules;
  }
}

function isIgnored(levels: Level[], relative: string, isDirectory: boolean): boolean {
  for (const level of levels) {
    const inner = relative.slice(level.prefix.length);
    if (level.rules.ignores(isDirectory ? `${inner}/` : inner)) return true;
  }
  return false;
}

export function toPosix(file: string): string {
  return path.sep === "/" ? file : file.split(path.sep).join("/");
}
