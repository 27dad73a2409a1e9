/**
 * Turns a fragment into findings. One pass of a keyword search over the text finds the
 * few lines worth a closer look; only those lines reach the rules that own
 * the keyword. Multi-line rules run over the whole fragment when their keyword occurs.
 */
import { defaultFingerprinter, type Fingerprinter } from "../../../core/fingerprint.ts";
import { redact } from "../../../core/redact.ts";
import { RULES, entropy, isConfigLike, isFake, isPlaceholder, type Rule, type RuleMatch } from "../rules.ts";
import { withSecret, type Finding, type Fragment } from "../types.ts";
import { KeywordSearch } from "./keywords.ts";

/** Lines longer than this (minified code, data blobs) are searched in a window around each keyword. */
const LONG_LINE = 4096;
const WINDOW = 1024;
const ALLOW_MARKER = "vaultlift:allow";

interface Candidate {
  rule: Rule;
  start: number;
  end: number;
  /** Where the whole match began: the key inference and the inline allow look at its line. */
  matchStart: number;
  key?: string;
}

/** Characters of line context on each side of a value whose key is unknown. */
const CONTEXT = 80;

/** True when the first 8 KB hold a NUL byte, as git decides. */
export function isBinary(content: Buffer): boolean {
  return content.subarray(0, 8000).includes(0);
}

export class Detector {
  private readonly keywords: KeywordSearch;
  /** Per keyword: the rules it triggers, in rule order. */
  private readonly owners: (readonly Rule[])[];
  private readonly pathRules: Rule[];

  private fingerprinter: Fingerprinter | undefined;

  /** Without a fingerprinter, the one of this process's hash key is loaded at the first finding. */
  constructor(
    readonly rules: readonly Rule[] = RULES,
    fingerprinter?: Fingerprinter,
  ) {
    this.fingerprinter = fingerprinter;
    const keywords = [...new Set(rules.flatMap((rule) => rule.keywords))];
    this.keywords = new KeywordSearch(keywords);
    // A keyword inside a longer one (`pass` in `password`) must also fire when the longer one matches.
    this.owners = keywords.map((keyword) => rules.filter((rule) => rule.keywords.some((other) => keyword.includes(other))));
    this.pathRules = rules.filter((rule) => rule.keywords.length === 0);
  }

  detect(fragment: Fragment): Finding[] {
    if (isBinary(fragment.content)) return [];
    const text = fragment.content.toString("utf8");
    const candidates = this.candidates(text, fragment.path);
    return this.toFindings(text, fragment, resolveOverlaps(candidates));
  }

  private candidates(text: string, path: string): Candidate[] {
    const found: Candidate[] = [];
    const hits = this.keywords.find(text);
    const admitted = new Map<Rule, boolean>();
    const multiline = new Set<Rule>();
    const lineRules = new Set<Rule>();
    // Hits are sorted, so each line's hits are a run of them.
    for (let first = 0; first < hits.length; ) {
      const at = hits[first] as number;
      const lineStart = text.lastIndexOf("\n", at) + 1;
      const newline = text.indexOf("\n", at);
      const lineEnd = newline === -1 ? text.length : newline;
      let next = first;
      for (; next < hits.length && (hits[next] as number) < lineEnd; next += 2) {
        for (const rule of this.owners[hits[next + 1] as number] as Rule[]) {
          if (rule.path) {
            let admits = admitted.get(rule);
            if (admits === undefined) admitted.set(rule, (admits = rule.path.test(path)));
            if (!admits) continue;
          }
          if (rule.multiline) multiline.add(rule);
          else lineRules.add(rule);
        }
      }
      if (lineRules.size > 0) {
        if (lineEnd - lineStart <= LONG_LINE) {
          const line = text.slice(lineStart, lineEnd);
          for (const rule of lineRules) this.run(rule, line, lineStart, path, found);
        } else {
          const windows: [number, number][] = [];
          for (let hit = first; hit < next; hit += 2) windows.push([Math.max(lineStart, (hits[hit] as number) - WINDOW), Math.min(lineEnd, (hits[hit] as number) + WINDOW)]);
          for (const [from, to] of mergeWindows(windows)) {
            const window = text.slice(from, to);
            for (const rule of lineRules) this.run(rule, window, from, path, found);
          }
        }
        lineRules.clear();
      }
      first = next;
    }
    for (const rule of multiline) this.run(rule, text, 0, path, found);
    for (const rule of this.pathRules) if (rule.path?.test(path)) this.run(rule, text, 0, path, found);
    return found;
  }

  private run(rule: Rule, text: string, offset: number, path: string, found: Candidate[]): void {
    const pattern = rule.pattern;
    pattern.lastIndex = 0;
    for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
      if (match[0].length === 0) pattern.lastIndex += 1;
      const located = locate(rule, match, path);
      if (!located) continue;
      const value = text.slice(located.start, located.end);
      if (!acceptable(rule, value)) continue;
      found.push({ rule, start: offset + located.start, end: offset + located.end, matchStart: offset + match.index, key: located.key });
    }
  }

  private toFindings(text: string, fragment: Fragment, candidates: Candidate[]): Finding[] {
    const findings: Finding[] = [];
    let line = 1;
    let lineStart = 0;
    let cursor = 0;
    const occurrences = new Map<string, number>();
    for (const candidate of candidates) {
      for (let at = text.indexOf("\n", cursor); at !== -1 && at < candidate.start; at = text.indexOf("\n", at + 1)) {
        line += 1;
        lineStart = at + 1;
      }
      cursor = lineStart;
      const matchLineStart = text.lastIndexOf("\n", candidate.matchStart - 1) + 1;
      const matchLineEnd = text.indexOf("\n", candidate.matchStart);
      const matchLine = text.slice(matchLineStart, matchLineEnd === -1 ? text.length : matchLineEnd);
      const secret = text.slice(candidate.start, candidate.end);
      const key = candidate.key ?? inferKey(text.slice(matchLineStart, candidate.matchStart));
      // The place: the key, or else the line around the value with every value on it masked; the nth such place in the file.
      const anchor = key !== undefined ? `key\0${key}` : `line\0${lineContext(text, matchLineStart, matchLineStart + matchLine.length, candidate, candidates)}`;
      const slot = `${candidate.rule.id}\0${anchor}`;
      const nth = occurrences.get(slot) ?? 0;
      occurrences.set(slot, nth + 1);
      if (matchLine.toLowerCase().includes(ALLOW_MARKER)) continue;
      this.fingerprinter ??= defaultFingerprinter();
      const version = fragment.isLatest === false && fragment.versionId !== undefined ? [fragment.versionId] : [];
      const finding: Omit<Finding, "secret"> = {
        ruleId: candidate.rule.id,
        file: fragment.path,
        line,
        column: candidate.start - lineStart + 1,
        redacted: redact(secret),
        fingerprint: this.fingerprinter.place("scan", fragment.path, slot, String(nth), ...version),
        source: fragment.source,
        ...(fragment.commit !== undefined && { commit: fragment.commit }),
        ...(fragment.date !== undefined && { date: fragment.date }),
        ...(fragment.versionId !== undefined && { versionId: fragment.versionId }),
        ...(key !== undefined && { key }),
      };
      findings.push(withSecret(finding, secret));
    }
    return findings;
  }
}

/** The line around a candidate, every candidate on it masked and whitespace collapsed: what stays when values rotate. */
function lineContext(text: string, lineStart: number, lineEnd: number, candidate: Candidate, all: readonly Candidate[]): string {
  const from = Math.max(lineStart, candidate.matchStart - CONTEXT, candidate.start - CONTEXT);
  const to = Math.min(lineEnd, candidate.end + CONTEXT);
  let context = "";
  let at = from;
  for (const other of all) {
    if (other.end <= at || other.start >= to) continue;
    context += `${text.slice(at, Math.max(at, other.start))}\0`;
    at = Math.max(at, other.end);
  }
  context += text.slice(at, Math.max(at, to));
  return context.replace(/\s+/g, " ").trim();
}

function locate(rule: Rule, match: RegExpExecArray, path: string): RuleMatch | undefined {
  if (rule.refine) return rule.refine(match);
  const groups = match.indices?.groups;
  let key = match.groups?.key;
  if (key !== undefined && rule.extendKey && groups?.key) {
    const keyStart = identifierStart(match.input, groups.key[0]);
    if (keyStart === undefined) return undefined;
    key = match.input.slice(keyStart, groups.key[1]);
  }
  if (groups?.secret) return { start: groups.secret[0], end: groups.secret[1], key };
  if (groups?.bare && isConfigLike(path)) {
    const bare = match.input.slice(groups.bare[0], groups.bare[1]);
    if (rule.bareValue && !rule.bareValue(bare)) return undefined;
    return { start: groups.bare[0], end: groups.bare[1], key };
  }
  return undefined;
}

function acceptable(rule: Rule, value: string): boolean {
  if (value.length === 0) return false;
  if (rule.minLength !== undefined && value.length < rule.minLength) return false;
  if ((rule.placeholders ?? rule.generic) ? isPlaceholder(value) : isFake(value)) return false;
  if (rule.requireDigit && !/[0-9]/.test(value)) return false;
  if (rule.minEntropy !== undefined && entropy(value) < rule.minEntropy) return false;
  if (rule.validate && !rule.validate(value)) return false;
  return true;
}

/** A specific rule wins over a generic one on the same value; the same span is reported once. */
function resolveOverlaps(candidates: Candidate[]): Candidate[] {
  candidates.sort((a, b) => a.start - b.start || Number(a.rule.generic ?? false) - Number(b.rule.generic ?? false));
  const specific = candidates.filter((c) => !c.rule.generic);
  const kept: Candidate[] = [];
  for (const candidate of candidates) {
    if (kept.some((other) => other.start === candidate.start && other.end === candidate.end)) continue;
    if (candidate.rule.generic && specific.some((other) => other.start < candidate.end && candidate.start < other.end)) continue;
    if (!candidate.rule.generic && kept.some((other) => other.rule === candidate.rule && other.start <= candidate.start && candidate.end <= other.end)) continue;
    kept.push(candidate);
  }
  return kept;
}

const IDENTIFIER_CHAR = /[A-Za-z0-9_.-]/;

/** Walks back from `at` to the start of the identifier around it; undefined past 40 characters. */
function identifierStart(text: string, at: number): number | undefined {
  let start = at;
  while (start > 0 && IDENTIFIER_CHAR.test(text[start - 1] as string)) {
    start -= 1;
    if (at - start > 40) return undefined;
  }
  return start;
}

/** `STRIPE_KEY = "` before a value names it. */
function inferKey(before: string): string | undefined {
  return /([A-Za-z_][A-Za-z0-9_.-]*)["'\]]?\s*(?:=|:|=>|:=)\s*["'`]?$/.exec(before)?.[1];
}

function mergeWindows(windows: (readonly [number, number])[]): (readonly [number, number])[] {
  const merged: [number, number][] = [];
  for (const [from, to] of windows) {
    const last = merged[merged.length - 1];
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else merged.push([from, to]);
  }
  return merged;
}
