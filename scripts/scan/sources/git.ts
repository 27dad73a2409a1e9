/**
 * Git history: every blob reachable from all refs, each scanned once and attributed to
 * the first commit (oldest first) that introduced it, with its path and author date.
 * `git log --raw` lists the blobs, `git cat-file --batch` streams their contents.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { createInterface } from "node:readline";
import ignore from "ignore";
import { inputError } from "../../../core/errors.ts";
import type { Fragment, Source } from "../types.ts";

export interface GitOptions {
  maxFileBytes: number;
  /** Paths to leave out (the `.vaultliftignore` of the working tree, config globs). */
  skipPath?: (path: string) => boolean;
  onSkip?: (file: string, reason: "size") => void;
  /** Only commits after this ref that HEAD reaches (a pull request in CI), instead of all refs. */
  since?: string;
  /** Only what is staged in the index against HEAD (a pre-commit hook), instead of history. */
  staged?: boolean;
}

interface BlobOrigin {
  blob: string;
  path: string;
  commit: string;
  date: string;
}

const EMPTY_BLOB = /^0+$/;

export class GitHistorySource implements Source {
  readonly label: string;
  /** Commits walked, known once the log has been read. */
  commits = 0;
  skipped = 0;

  constructor(
    readonly root: string,
    private readonly options: GitOptions,
  ) {
    this.label = options.staged ? `staged changes of ${root}` : `git history of ${root}${options.since ? ` since ${options.since}` : ""}`;
  }

  async *fragments(): AsyncIterable<Fragment> {
    await this.checkRepository();
    const ignored = await this.vaultliftIgnore();
    const skip = (file: string) => ignored(file) || (this.options.skipPath?.(file) ?? false);
    const origins = this.options.staged ? await this.stagedOrigins(skip) : await this.blobOrigins(skip);
    yield* this.contents(origins);
  }

  private async checkRepository(): Promise<void> {
    const result = await run(["-C", this.root, "rev-parse", "--git-dir"]);
    const flag = this.options.staged ? "--staged" : this.options.since ? "--since" : "--history";
    if (result.code !== 0) throw inputError(`${this.root}: ${flag} needs a git repository (${result.stderr.trim().split("\n")[0] ?? "git failed"})`);
    if (this.options.since !== undefined) {
      const ref = await run(["-C", this.root, "rev-parse", "--verify", "--quiet", `${this.options.since}^{commit}`]);
      if (ref.code !== 0) throw inputError(`${this.root}: --since ${this.options.since}: no such commit, branch or tag (in CI, fetch it first: git fetch origin ${this.options.since})`);
    }
  }

  /** The working tree's root `.vaultliftignore` also applies to history; `.gitignore` does not (committed files were tracked). */
  private async vaultliftIgnore(): Promise<(file: string) => boolean> {
    const text = await readFile(path.join(this.root, ".vaultliftignore"), "utf8").catch(() => undefined);
    if (text === undefined) return () => false;
    const rules = ignore().add(text);
    return (file) => {
      try {
        return rules.ignores(file);
      } catch {
        return false;
      }
    };
  }

  /** The first commit and path of each blob, oldest commit first. */
  private async blobOrigins(skip: (file: string) => boolean): Promise<BlobOrigin[]> {
    const git = spawnGit([
      "-C",
      this.root,
      "-c",
      "core.quotePath=false",
      "log",
      ...(this.options.since !== undefined ? [`${this.options.since}..HEAD`] : ["--all"]),
      "--reverse",
      "--date-order",
      "--raw",
      "--no-renames",
      "--no-abbrev",
      "--format=%x01%H %aI",
    ]);
    const seen = new Set<string>();
    const origins: BlobOrigin[] = [];
    let commit = "";
    let date = "";
    const stderr = collect(git.stderr);
    for await (const line of createInterface({ input: git.stdout, crlfDelay: Infinity })) {
      if (line.startsWith("\x01")) {
        const space = line.indexOf(" ");
        commit = line.slice(1, space);
        date = line.slice(space + 1);
        this.commits += 1;
        continue;
      }
      if (!line.startsWith(":")) continue;
      // :100644 100644 <old> <new> M\t<path>
      const tab = line.indexOf("\t");
      const fields = line.slice(1, tab).split(" ");
      const mode = fields[1];
      const blob = fields[3];
      if (!blob || EMPTY_BLOB.test(blob) || mode === "160000" || mode === "120000" || seen.has(blob)) continue;
      const file = unquote(line.slice(tab + 1));
      // An ignored path does not claim the blob: the same content elsewhere is still scanned.
      if (skip(file)) continue;
      seen.add(blob);
      origins.push({ blob, path: file, commit, date });
    }
    const code = await exitCode(git);
    if (code !== 0) throw inputError(`${this.root}: git log failed: ${(await stderr).trim().split("\n")[0] ?? ""}`);
    return origins;
  }

  /** The blobs staged in the index that differ from HEAD (added, copied, modified, retyped). */
  private async stagedOrigins(skip: (file: string) => boolean): Promise<BlobOrigin[]> {
    const git = spawnGit(["-C", this.root, "-c", "core.quotePath=false", "diff", "--cached", "--raw", "--no-renames", "--no-abbrev", "--diff-filter=ACMT"]);
    const stderr = collect(git.stderr);
    const origins: BlobOrigin[] = [];
    for await (const line of createInterface({ input: git.stdout, crlfDelay: Infinity })) {
      const tab = line.indexOf("\t");
      const fields = line.slice(1, tab).split(" ");
      const blob = fields[3];
      if (!line.startsWith(":") || !blob || EMPTY_BLOB.test(blob) || fields[1] === "160000" || fields[1] === "120000") continue;
      const file = unquote(line.slice(tab + 1));
      if (!skip(file)) origins.push({ blob, path: file, commit: "", date: "" });
    }
    const code = await exitCode(git);
    if (code !== 0) throw inputError(`${this.root}: git diff --cached failed: ${(await stderr).trim().split("\n")[0] ?? ""}`);
    return origins;
  }

  private async *contents(origins: BlobOrigin[]): AsyncGenerator<Fragment> {
    if (origins.length === 0) return;
    const git = spawnGit(["-C", this.root, "cat-file", "--batch"]);
    const stderr = collect(git.stderr);
    // Feed names as the reader drains, so neither pipe fills up.
    const writer = (async () => {
      for (const origin of origins) {
        if (!git.stdin.write(`${origin.blob}\n`)) await new Promise((resolve) => git.stdin.once("drain", resolve));
      }
      git.stdin.end();
    })();
    writer.catch(() => undefined);
    const reader = new BatchReader(git.stdout);
    try {
      for (const origin of origins) {
        const header = await reader.line();
        if (header === undefined) break;
        const [, type, sizeText] = header.split(" ");
        if (type === undefined || sizeText === undefined) continue;
        const size = Number(sizeText);
        // The header gives the size first: a blob over the limit is streamed past, never held whole.
        if (type !== "blob" || size > this.options.maxFileBytes) {
          await reader.skip(size + 1);
          if (type !== "blob") continue;
          this.skipped += 1;
          this.options.onSkip?.(origin.path, "size");
          continue;
        }
        const content = await reader.bytes(size + 1);
        yield { path: origin.path, content: content.subarray(0, size), source: "git", ...(origin.commit ? { commit: origin.commit, date: origin.date } : {}) };
      }
    } finally {
      git.stdin.destroy();
      git.stdout.destroy();
      git.kill();
    }
    await writer;
    const code = await exitCode(git);
    if (code !== 0 && code !== null) throw inputError(`${this.root}: git cat-file failed: ${(await stderr).trim()}`);
  }
}

/** Reads `git cat-file --batch` output: a header line, then exactly `size + 1` bytes. */
class BatchReader {
  private chunks: Buffer[] = [];
  private length = 0;
  private ended = false;
  private wake: (() => void) | undefined;

  constructor(private readonly stream: NodeJS.ReadableStream) {
    stream.on("data", (chunk: Buffer) => {
      this.chunks.push(chunk);
      this.length += chunk.length;
      if (this.length > 64 * 1024 * 1024) stream.pause();
      this.wake?.();
    });
    const end = () => {
      this.ended = true;
      this.wake?.();
    };
    stream.on("end", end);
    stream.on("error", end);
  }

  async line(): Promise<string | undefined> {
    for (;;) {
      // Headers are short: look in the first chunk, merging with the next only when the line spans both.
      const first = this.chunks[0];
      const newline = first ? first.indexOf(10) : -1;
      if (first && newline !== -1) return this.take(newline + 1).subarray(0, newline).toString("utf8");
      if (this.chunks.length > 1) {
        this.chunks.splice(0, 2, Buffer.concat([this.chunks[0] as Buffer, this.chunks[1] as Buffer]));
        continue;
      }
      if (this.ended) return undefined;
      await this.more();
    }
  }

  async bytes(count: number): Promise<Buffer> {
    while (this.length < count && !this.ended) await this.more();
    return this.take(Math.min(count, this.length));
  }

  /** Drops the next `count` bytes as they arrive, holding at most one chunk of them. */
  async skip(count: number): Promise<void> {
    let left = count;
    while (left > 0) {
      if (this.chunks.length === 0) {
        if (this.ended) return;
        await this.more();
        continue;
      }
      left -= this.take(Math.min(left, (this.chunks[0] as Buffer).length)).length;
    }
  }

  /** Removes and returns the first `count` bytes, copying only when they span chunks. */
  private take(count: number): Buffer {
    let taken: Buffer;
    const first = this.chunks[0] ?? Buffer.alloc(0);
    if (first.length >= count) {
      taken = first.subarray(0, count);
      if (first.length === count) this.chunks.shift();
      else this.chunks[0] = first.subarray(count);
    } else {
      const parts: Buffer[] = [];
      let need = count;
      while (need > 0 && this.chunks.length > 0) {
        const chunk = this.chunks[0] as Buffer;
        if (chunk.length <= need) {
          parts.push(chunk);
          this.chunks.shift();
          need -= chunk.length;
        } else {
          parts.push(chunk.subarray(0, need));
          this.chunks[0] = chunk.subarray(need);
          need = 0;
        }
      }
      taken = Buffer.concat(parts);
    }
    this.length -= taken.length;
    if (this.length < 16 * 1024 * 1024) this.stream.resume();
    return taken;
  }

  private more(): Promise<void> {
    return new Promise((resolve) => {
      this.wake = () => {
        this.wake = undefined;
        resolve();
      };
      this.stream.resume();
    });
  }
}

function spawnGit(args: string[]): ChildProcessWithoutNullStreams {
  return spawn("git", args, { stdio: ["pipe", "pipe", "pipe"], env: { ...process.env, GIT_TERMINAL_PROMPT: "0" } });
}

async function run(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const git = spawnGit(args);
  git.stdin.end();
  git.stdout.resume();
  const stderr = collect(git.stderr);
  const code = await exitCode(git);
  return { code, stderr: await stderr };
}

function exitCode(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve, reject) => {
    child.once("error", (error: NodeJS.ErrnoException) =>
      reject(error.code === "ENOENT" ? inputError("--history needs the git binary on PATH") : error),
    );
    child.once("close", (code) => resolve(code));
  });
}

async function collect(stream: NodeJS.ReadableStream): Promise<string> {
  let text = "";
  for await (const chunk of stream) text += chunk.toString();
  return text;
}

/** Undoes git's C-style quoting of unusual paths. */
function unquote(file: string): string {
  if (!file.startsWith('"') || !file.endsWith('"')) return file;
  const bytes: number[] = [];
  const body = file.slice(1, -1);
  const escapes: Record<string, number> = { n: 10, t: 9, r: 13, '"': 34, "\\": 92, a: 7, b: 8, f: 12, v: 11 };
  for (let i = 0; i < body.length; i += 1) {
    const char = body[i] as string;
    if (char !== "\\") {
      bytes.push(...Buffer.from(char, "utf8"));
      continue;
    }
    const next = body[i + 1] ?? "";
    if (/[0-7]/.test(next)) {
      bytes.push(parseInt(body.slice(i + 1, i + 4), 8));
      i += 3;
    } else {
      bytes.push(escapes[next] ?? next.charCodeAt(0));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString("utf8");
}
