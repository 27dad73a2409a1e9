/**
 * The working tree: files under a directory (or one file), honouring `.gitignore` and
 * `.vaultliftignore` at every level, skipping `.git`, binaries and files over the size
 * limit, and following symlinks that stay inside the root without ever entering a
 * directory twice.
 */
import { closeSync, fstatSync, openSync, readdirSync, readFileSync, readSync, statSync, type Dirent } from "node:fs";
import { readFile, realpath, stat } from "node:fs/promises";
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
      const content = this.read(this.root, path.basename(this.root));
      if (content) yield { path: path.basename(this.root), content, source: "file" };
      return;
    }
    if (!info.isDirectory()) return this.skipSpecial(path.basename(this.root));
    this.realRoot = await realpath(this.root);
    yield* this.walk(this.root, this.realRoot, "", [], new Set<string>());
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

  /** `real`: the directory's real path; a child that is no symlink is `real/name`, so only symlinks cost a realpath. */
  private async *walk(directory: string, real: string, prefix: string, levels: Level[], seen: Set<string>): AsyncGenerator<Fragment> {
    if (seen.has(real)) return;
    seen.add(real);
    let entries: Entry[];
    try {
      entries = readEntries(directory);
    } catch {
      this.skipped += 1;
      this.options.onSkip?.(prefix, "unreadable");
      return;
    }
    const own = await this.ignoreRules(directory, entries);
    const here = own ? [...levels, { prefix, rules: own }] : levels;
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const files: { full: string | Buffer; relative: string }[] = [];
    const directories: { full: string; real: string; relative: string }[] = [];
    for (const entry of entries) {
      if (SKIPPED_DIRECTORIES.has(entry.name)) continue;
      const full = entry.utf8 ? path.join(directory, entry.name) : Buffer.concat([Buffer.from(`${directory}${path.sep}`), entry.bytes]);
      const relative = `${prefix}${entry.name}`;
      let isDirectory = entry.isDirectory();
      let isFile = entry.isFile();
      let target: string | undefined;
      if (entry.isSymbolicLink()) {
        target = await realpath(full).catch(() => undefined);
        const info = target && this.inside(target) ? await stat(target).catch(() => undefined) : undefined;
        if (!info) continue;
        isDirectory = info.isDirectory();
        isFile = info.isFile();
      }
      if (isIgnored(here, relative, isDirectory)) continue;
      if (isDirectory && typeof full !== "string") {
        this.skipped += 1;
        this.options.onSkip?.(relative, "name");
      } else if (isDirectory) directories.push({ full: full as string, real: target ?? path.join(real, entry.name), relative });
      else if (isFile) files.push({ full, relative });
      else this.skipSpecial(relative);
    }
    for (const file of files) {
      const content = this.read(file.full, file.relative);
      if (content) yield { path: file.relative, content, source: "file" };
    }
    for (const child of directories) yield* this.walk(child.full, child.real, `${child.relative}/`, here, seen);
  }

  /**
   * Synchronous: for source files, a thread-pool round trip for each of open, stat, read and close costs several times the read itself.
   * A large file is read whole only when its first 8,000 bytes hold no NUL (binaries are left out, as the detector would).
   */
  private read(full: string | Buffer, relative: string): Buffer | undefined {
    let fd: number;
    try {
      fd = openSync(full, "r");
    } catch {
      return this.skip(relative, (sizeOf(full) ?? 0) > this.options.maxFileBytes ? "size" : "unreadable");
    }
    try {
      const size = fstatSync(fd).size;
      if (size > this.options.maxFileBytes) return this.skip(relative, "size");
      // A size of 0 may be a file the kernel makes as it is read: read it to its end, as readFileSync does.
      if (size === 0) return readFileSync(fd);
      // Its own memory, so the detector pool can move it to a worker instead of copying it.
      const content = Buffer.allocUnsafeSlow(size);
      let length = readInto(fd, content, 0, size > SNIFF_AFTER ? BINARY_SNIFF : size);
      if (length === BINARY_SNIFF && size > SNIFF_AFTER) {
        if (content.subarray(0, BINARY_SNIFF).includes(0)) {
          this.skipped += 1;
          return undefined;
        }
        length = readInto(fd, content, length, size);
      }
      return length === size ? content : content.subarray(0, length);
    } catch {
      return this.skip(relative, "unreadable");
    } finally {
      closeSync(fd);
    }
  }

  private skip(relative: string, reason: "size" | "unreadable"): undefined {
    this.skipped += 1;
    this.options.onSkip?.(relative, reason);
    return undefined;
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
/** The bytes git looks at to call a file binary (see isBinary in detect/detector.ts). */
const BINARY_SNIFF = 8000;
/** Files up to this size are read in one call: sniffing first would cost a second read for little saved. */
const SNIFF_AFTER = 64 * 1024;

/** Entries with their names as strings; a directory holding a name that is not UTF-8 is read again as bytes. */
function readEntries(directory: string): Entry[] {
  const dirents = readdirSync(directory, { withFileTypes: true });
  if (!dirents.some((dirent) => dirent.name.includes("\uFFFD"))) return dirents.map(textEntry);
  return readdirSync(directory, { withFileTypes: true, encoding: "buffer" }).map(entryOf);
}

function textEntry(dirent: Dirent): Entry {
  return { name: dirent.name, bytes: EMPTY, utf8: true, isDirectory: () => dirent.isDirectory(), isFile: () => dirent.isFile(), isSymbolicLink: () => dirent.isSymbolicLink() };
}

const EMPTY = Buffer.alloc(0);

/** Reads into `content` from `from` up to `to` (or the end of the file); returns where it stopped. */
function readInto(fd: number, content: Buffer, from: number, to: number): number {
  let at = from;
  while (at < to) {
    const read = readSync(fd, content, at, to - at, at);
    if (read === 0) break;
    at += read;
  }
  return at;
}

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
    return statSync(file).size;
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
