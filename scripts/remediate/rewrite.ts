/**
 * Rewrites working-tree files: each migrated literal becomes its reference, declarations
 * a reference needs are added once, line endings and file modes are kept, and each file
 * is replaced atomically. The diff shown to the user masks every value it could contain.
 */
import { chmodSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { redact } from "../../core/redact.ts";
import { scanFragment } from "../scan/index.ts";
import type { MigratedSecret, WorkingTreeHit } from "./evidence.ts";
import { rewriteKubernetes } from "./kubernetes.ts";
import { valueLines } from "./purge.ts";
import { replacementFor, type Declaration, type FileKind } from "./references.ts";

export interface FileEdit {
  /** Display path. */
  file: string;
  absolute: string;
  before: string;
  after: string;
}

const QUOTES = new Set(["'", '"', "`"]);

/** The new text of every file that holds a migrated literal. */
export function planEdits(replacements: readonly { hit: WorkingTreeHit; target: MigratedSecret }[], values: ReadonlyMap<string, string>): FileEdit[] {
  const byFile = new Map<string, { hit: WorkingTreeHit; target: MigratedSecret }[]>();
  for (const replacement of replacements) {
    const list = byFile.get(replacement.hit.absolute);
    if (list) list.push(replacement);
    else byFile.set(replacement.hit.absolute, [replacement]);
  }
  const edits: FileEdit[] = [];
  for (const [absolute, list] of byFile) {
    const before = readFileSync(absolute, "utf8");
    const first = list[0]?.hit as WorkingTreeHit;
    const after = first.kind === "kubernetes" ? rewriteKubernetes(before, list, values) : rewriteText(before, list);
    if (after !== before) edits.push({ file: first.file, absolute, before, after });
  }
  return edits;
}

function rewriteText(text: string, list: readonly { hit: WorkingTreeHit; target: MigratedSecret }[]): string {
  let out = text;
  const declarations = new Map<string, Declaration>();
  for (const { hit, target } of [...list].sort((a, b) => b.hit.start - a.hit.start)) {
    const quote = out[hit.start - 1];
    const quoted = quote !== undefined && QUOTES.has(quote) && out[hit.end] === quote;
    const lineStart = out.lastIndexOf("\n", hit.start - 1) + 1;
    const key = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(out.slice(lineStart, hit.start))?.[1];
    const replacement = replacementFor(hit.kind, target, { quoted, ...(key ? { key } : {}), ...(hit.field ? { field: hit.field } : {}) });
    const [from, to] = quoted && replacement.withQuotes ? [hit.start - 1, hit.end + 1] : [hit.start, hit.end];
    const inside = quoted ? undefined : enclosingQuote(out.slice(lineStart, hit.start));
    out = `${out.slice(0, from)}${inside ? withinString(hit.kind, replacement.text, inside) : replacement.text}${out.slice(to)}`;
    if (replacement.declaration) declarations.set(replacement.declaration.id, replacement.declaration);
  }
  return addDeclarations(out, [...declarations.values()]);
}

/** The quote of the string literal a line is inside at its end, if any (escapes honoured). */
function enclosingQuote(before: string): string | undefined {
  let open: string | undefined;
  for (let index = 0; index < before.length; index += 1) {
    const char = before[index] as string;
    if (char === "\\" && open !== "'") index += 1;
    else if (open === undefined && QUOTES.has(char)) open = char;
    else if (char === open) open = undefined;
  }
  return open;
}

/** A reference placed in the middle of a string literal (the password of a URI): concatenated or interpolated. */
function withinString(kind: FileKind, text: string, quote: string): string {
  switch (kind) {
    case "python":
    case "javascript":
    case "java":
    case "go":
      return quote === "`" && kind === "javascript" ? `\${${text}}` : `${quote} + ${text} + ${quote}`;
    case "terraform":
      return `\${${text}}`;
    case "shell":
      return quote === '"' ? text.slice(1, -1) : `'${text}'`;
    default:
      return text;
  }
}

function addDeclarations(text: string, declarations: readonly Declaration[]): string {
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  let out = text;
  for (const declaration of [...declarations].sort((a, b) => a.id.localeCompare(b.id))) {
    if (declaration.unlessPresent?.test(out)) continue;
    const block = declaration.text.split("\n").join(eol);
    if (declaration.where === "bottom") {
      out = `${out}${out.endsWith(eol) || out === "" ? "" : eol}${eol}${block}${eol}`;
    } else if (declaration.where === "after-package") {
      const match = /^package\s+\S+.*$/m.exec(out);
      const at = match ? match.index + match[0].length : 0;
      out = match ? `${out.slice(0, at)}${eol}${eol}${block}${out.slice(at)}` : `${block}${eol}${out}`;
    } else {
      // After a shebang, encoding line and `from __future__` imports, which must stay first.
      const lines = out.split(eol);
      let index = 0;
      while (index < lines.length && /^(#!|#.*coding[:=]|from __future__ import)/.test(lines[index] as string)) index += 1;
      lines.splice(index, 0, block);
      out = lines.join(eol);
    }
  }
  return out;
}

/**
 * Writes each edit over its file, keeping the file's mode: every new text is written beside
 * its file first and only then renamed into place, so a failed write changes no file.
 */
export function applyEdits(edits: readonly FileEdit[]): void {
  const staged: { temporary: string; absolute: string }[] = [];
  try {
    for (const edit of edits) {
      const mode = statSync(edit.absolute).mode & 0o7777;
      const temporary = `${edit.absolute}.vaultlift-${process.pid}.tmp`;
      staged.push({ temporary, absolute: edit.absolute });
      writeFileSync(temporary, edit.after, { mode });
      chmodSync(temporary, mode);
    }
  } catch (error) {
    for (const { temporary } of staged) rmSync(temporary, { force: true });
    throw error;
  }
  for (const { temporary, absolute } of staged) renameSync(temporary, absolute);
}

/** A unified diff of the edits (one line of context) with every known value masked. */
export function formatEdits(edits: readonly FileEdit[], values: Iterable<string>): string {
  // Diff lines are single lines: a multi-line value is masked line by line too.
  const known = [...values].flatMap((value) => [value, Buffer.from(value, "utf8").toString("base64"), ...valueLines(value)]);
  const out: string[] = [];
  for (const edit of edits) {
    // Context lines may hold secrets that were not migrated: whatever the scanner finds is masked too.
    const found = scanFragment({ path: edit.file, content: Buffer.from(edit.before, "utf8"), source: "file" }).map((finding) => finding.secret);
    const masks = [...known, ...found.flatMap((value) => [value, ...valueLines(value)])].filter((value) => value.length > 0).sort((a, b) => b.length - a.length);
    const mask = (line: string) => masks.reduce((text, value) => text.split(value).join(redact(value)), line);
    out.push(`--- a/${edit.file}`, `+++ b/${edit.file}`);
    for (const hunk of hunks(edit.before.split(/\r?\n/), edit.after.split(/\r?\n/))) out.push(...hunk.map(mask));
  }
  return out.length > 0 ? `${out.join("\n")}\n` : "";
}

type Op = { kind: " " | "-" | "+"; text: string; a: number; b: number };

function hunks(a: string[], b: string[], context = 1): string[][] {
  const ops = diffLines(a, b);
  const result: string[][] = [];
  let index = 0;
  while (index < ops.length) {
    if ((ops[index] as Op).kind === " ") {
      index += 1;
      continue;
    }
    let start = Math.max(0, index - context);
    let end = index;
    while (end < ops.length) {
      let next = end;
      while (next < ops.length && (ops[next] as Op).kind !== " ") next += 1;
      let gap = next;
      while (gap < ops.length && (ops[gap] as Op).kind === " ") gap += 1;
      end = next;
      if (gap < ops.length && gap - next <= context * 2) end = gap;
      else break;
    }
    end = Math.min(ops.length, end + context);
    const slice = ops.slice(start, end);
    const first = slice[0] as Op;
    const aCount = slice.filter((op) => op.kind !== "+").length;
    const bCount = slice.filter((op) => op.kind !== "-").length;
    result.push([`@@ -${first.a + 1},${aCount} +${first.b + 1},${bCount} @@`, ...slice.map((op) => `${op.kind}${op.text}`)]);
    index = end;
    start = end;
  }
  return result;
}

/** Line diff by longest common subsequence; files here are source files, small enough. */
function diffLines(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const table = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i -= 1) {
    for (let j = m - 1; j >= 0; j -= 1) (table[i] as Uint32Array)[j] = a[i] === b[j] ? ((table[i + 1] as Uint32Array)[j + 1] as number) + 1 : Math.max((table[i + 1] as Uint32Array)[j] as number, (table[i] as Uint32Array)[j + 1] as number);
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) ops.push({ kind: " ", text: a[i++] as string, a: i - 1, b: j++ });
    else if (i < n && (j === m || ((table[i + 1] as Uint32Array)[j] as number) >= ((table[i] as Uint32Array)[j + 1] as number))) ops.push({ kind: "-", text: a[i++] as string, a: i - 1, b: j });
    else ops.push({ kind: "+", text: b[j++] as string, a: i, b: j - 1 });
  }
  return ops;
}
