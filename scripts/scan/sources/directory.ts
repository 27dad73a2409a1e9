/**
 * The working tree: files under a directory (or one file), honouring `.gitignore` and
 * `.vaultliftignore` at every level, skipping `.git`, binaries and files over the size
 * limit, and following symlinks that stay inside the root without ever entering a
 * directory twice.
 */
import { lstatSync, readFileSync, type Dirent } from "node:fs";
import { readdir, readFile, realpath, stat } from "node:fs/promises";
import path from "node:path";
import ignore, { type Ignore } from "ignore";
import { inputError } from "../../../core/errors.ts";
import type { Fragment, Source } from "../types.ts";

export const IGNORE_FILES = [".gitignore", ".vaultliftignore"] as const;
/** Git's own store, and vaultlift's state (journal, hash key): never sources of findings. */
const SKIPPED_DIRECTORIES = new Set([".git", ".vaultlift"]);

export interface DirectoryOptions {
  maxFileBytes: number;
  /** Called for each file left out and why, for stats. */
  onSkip?: (file: string, reason: "size" | "unreadable" | "special" | "name") => void;
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
      const content = this.read(this.root, path.basename(this.root), info.size);
      if (content) yield { path: path.basename(this.root), content, source: "file" };
      return;
    }
    if (!info.isDirectory()) return this.skipSpecial(path.basename(this.root));
    this.realRoot = await realpath(this.root);
    yield* this.walk(this.root, [], new Set<string>());
  }

  private realRoot = "";

  /** A FIFO, socket or device: reading it could block forever or never end. */
  private skipSpecial(relative: string): void {
    this.skipped += 1;
    this.options.onSkip?.(relative, "special");
  }

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
    let entries: Entry[];
    try {
      // As bytes: a name that is not UTF-8 would come back with replacement characters and could not be opened.
      entries = (await readdir(directory, { withFileTypes: true, encoding: "buffer" })).map(entryOf);
    } catch {
      this.skipped += 1;
      this.options.onSkip?.(prefix, "unreadable");
      return;
    }
    const own = await this.ignoreRules(directory, entries);
    const here = own ? [...levels, { prefix, rules: own }] : levels;
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const files: { full: string | Buffer; relative: string; size?: number }[] = [];
    const directories: string[] = [];
    for (const entry of entries) {
      if (SKIPPED_DIRECTORIES.has(entry.name)) continue;
      const full = entry.utf8 ? path.join(directory, entry.name) : Buffer.concat([Buffer.from(`${directory}${path.sep}`), entry.bytes]);
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
      if (isDirectory && typeof full !== "string") {
        this.skipped += 1;
        this.options.onSkip?.(relative, "name");
      } else if (isDirectory) directories.push(full as string);
      else if (isFile) files.push({ full, relative, size });
      else this.skipSpecial(relative);
    }
    for (const file of files) {
      const size = file.size ?? sizeOf(file.full);
      const content = size === undefined ? undefined : this.read(file.full, file.relative, size);
      if (content) yield { path: file.relative, content, source: "file" };
    }
    for (const child of directories) yield* this.walk(child, here, seen);
  }

  /** Synchronous: for source files, a thread-pool round trip for each of open, stat, read and close costs several times the read itself. */
  private read(full: string | Buffer, relative: string, size: number): Buffer | undefined {
    if (size > this.options.maxFileBytes) {
      this.skipped += 1;
      this.options.onSkip?.(relative, "size");
      return undefined;
    }
    try {
      return readFileSync(full);
    } catch {
      this.skipped += 1;
      this.options.onSkip?.(relative, "unreadable");
      return undefined;
    }
  }

  private async ignoreRules(directory: string, entries: Entry[]): Promise<Ignore | undefined> {
    let rules: Ignore | undefined;
    for (const name of IGNORE_FILES) {
      if (!entries.some((entry) => entry.name === name)) continue;
      const text = await readFile(path.join(directory, name), "utf8").catch(() => undefined);
      if (text !== undefined) (rules ??= ignore()).add(text);
    }
    return rules;
  }
}

/** A directory entry; a name that is not UTF-8 is shown with its other bytes as `\xNN`. */
interface Entry {
  name: string;
  bytes: Buffer;
  utf8: boolean;
  isDirectory(): boolean;
  isFile(): boolean;
  isSymbolicLink(): boolean;
}

const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true });

function entryOf(dirent: Dirent<Buffer>): Entry {
  const bytes = dirent.name;
  let name: string;
  let utf8 = true;
  try {
    name = STRICT_UTF8.decode(bytes);
  } catch {
    utf8 = false;
    name = [...bytes].map((byte) => (byte < 0x80 ? String.fromCharCode(byte) : `\\x${byte.toString(16).padStart(2, "0")}`)).join("");
  }
  return { name, bytes, utf8, isDirectory: () => dirent.isDirectory(), isFile: () => dirent.isFile(), isSymbolicLink: () => dirent.isSymbolicLink() };
}

function sizeOf(file: string | Buffer): number | undefined {
  try {
    return lstatSync(file).size;
  } catch {
    return undefined;
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
