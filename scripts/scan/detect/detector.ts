/**
 * Turns a fragment into findings. One pass of a keyword search over the text finds the
 * few lines worth a closer look; only those lines reach the rules that own
 * the keyword. Multi-line rules run over the whole fragment when their keyword occurs.
 * Encoded text (base64, percent-encoding, escaped strings) is decoded where the keyword
 * search saw an encoded keyword, scanned again, and reported at the encoded text.
 */
import { defaultFingerprinter, type Fingerprinter } from "../../../core/fingerprint.ts";
import { redact } from "../../../core/redact.ts";
import { RULES, entropy, isConfigLike, isFake, isKnownExample, isPlaceholder, type Rule, type RuleMatch } from "../rules.ts";
import { withSecret, type Finding, type Fragment } from "../types.ts";
import { pathContext } from "./context.ts";
import { DECODERS, MAX_DECODE_DEPTH, type Decoder, type Encoding } from "./decoders.ts";
import { KeywordSearch } from "./keywords.ts";

/** Lines longer than this (minified code, data blobs) are searched in a window around each keyword. */
const LONG_LINE = 4096;
const WINDOW = 1024;
/** Our inline allow comment, and the ones other scanners' users already wrote (detect-secrets, gitleaks, trufflehog). */
const ALLOW_MARKER = /vaultlift:allow|pragma: ?(?:allowlist|whitelist) ?secret|gitleaks:allow|trufflehog:ignore/i;

interface Candidate {
  rule: Rule;
  start: number;
  end: number;
  /** Where the whole match began: the key inference and the inline allow look at its line. */
  matchStart: number;
  key?: string;
  /** The value, when it is not the text at start..end (decoded). */
  secret?: string;
  decoded?: Encoding;
}

interface DecodeHit {
  decoder: Decoder;
  at: number;
  keyword: number;
  lineEnd: number;
}

/** What happened to one candidate or one rule on a line, for `scan --explain`. */
export interface TraceEvent {
  ruleId: string;
  /** Offset in the fragment's text. */
  at: number;
  /** Redacted, never the value. */
  redacted?: string;
  verdict: string;
}

type Trace = (event: TraceEvent) => void;

export interface Explanation extends Omit<TraceEvent, "at"> {
  line: number;
  column: number;
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
  /** Per keyword: the decoders it triggers. */
  private readonly decoderOwners: (readonly Decoder[])[];
  private readonly pathRules: Rule[];

  private fingerprinter: Fingerprinter | undefined;

  /** Without a fingerprinter, the one of this process's hash key is loaded at the first finding. */
  constructor(
    readonly rules: readonly Rule[] = RULES,
    fingerprinter?: Fingerprinter,
  ) {
    this.fingerprinter = fingerprinter;
    const keywords = [...new Set([...rules.flatMap((rule) => rule.keywords), ...DECODERS.flatMap((decoder) => decoder.keywords)])];
    this.keywords = new KeywordSearch(keywords);
    // A keyword inside a longer one (`pass` in `password`) must also fire when the longer one matches.
    this.owners = keywords.map((keyword) => rules.filter((rule) => rule.keywords.some((other) => keyword.includes(other))));
    this.decoderOwners = keywords.map((keyword) => DECODERS.filter((decoder) => decoder.keywords.some((other) => keyword.includes(other))));
    this.pathRules = rules.filter((rule) => rule.keywords.length === 0);
  }

  detect(fragment: Fragment): Finding[] {
    if (isBinary(fragment.content)) return [];
    const text = fragment.content.toString("utf8");
    const candidates = this.candidates(text, fragment.path, 0);
    return this.toFindings(text, fragment, resolveOverlaps(candidates));
  }

  /** Every rule that looked at `line` of the fragment and what it decided, values redacted. */
  explain(fragment: Fragment, line: number): Explanation[] {
    const text = fragment.content.toString("utf8");
    const events: TraceEvent[] = [];
    const trace: Trace = (event) => events.push(event);
    const candidates = this.candidates(text, fragment.path, 0, trace);
    const kept = resolveOverlaps(candidates, trace);
    const reported = new Set(this.toFindings(text, fragment, kept, trace).map((finding) => `${finding.ruleId}:${finding.line}:${finding.column}`));
    const lineStarts = [0];
    for (let at = text.indexOf("\n"); at !== -1; at = text.indexOf("\n", at + 1)) lineStarts.push(at + 1);
    const lineOf = (offset: number) => {
      let low = 0;
      let high = lineStarts.length - 1;
      while (low < high) {
        const mid = (low + high + 1) >> 1;
        if ((lineStarts[mid] as number) <= offset) low = mid;
        else high = mid - 1;
      }
      return low;
    };
    return events
      .map(({ at, ...event }) => {
        const index = lineOf(at);
        return { ...event, line: index + 1, column: at - (lineStarts[index] as number) + 1 };
      })
      .filter((event) => event.line === line)
      .map((event) => (event.verdict === "accepted" ? { ...event, verdict: reported.has(`${event.ruleId}:${event.line}:${event.column}`) ? "reported" : "accepted, then dropped" } : event));
  }

  private candidates(text: string, path: string, depth: number, trace?: Trace): Candidate[] {
    const found: Candidate[] = [];
    const hits = this.keywords.find(text);
    const admitted = new Map<Rule, boolean>();
    const multiline = new Set<Rule>();
    const lineRules = new Set<Rule>();
    const decodeAt: DecodeHit[] = [];
    // Hits are sorted, so each line's hits are a run of them.
    for (let first = 0; first < hits.length; ) {
      const at = hits[first] as number;
      const lineStart = text.lastIndexOf("\n", at) + 1;
      const newline = text.indexOf("\n", at);
      const lineEnd = newline === -1 ? text.length : newline;
      let next = first;
      let ruleKeyword = false;
      const decodeFrom = decodeAt.length;
      for (; next < hits.length && (hits[next] as number) < lineEnd; next += 2) {
        const keyword = hits[next + 1] as number;
        const owners = this.owners[keyword] as Rule[];
        if (owners.length > 0) ruleKeyword = true;
        for (const rule of owners) {
          if (rule.path) {
            let admits = admitted.get(rule);
            if (admits === undefined) admitted.set(rule, (admits = rule.path.test(path)));
            if (!admits) continue;
          }
          if (rule.multiline) multiline.add(rule);
          else lineRules.add(rule);
        }
        const decoders = this.decoderOwners[keyword] as Decoder[];
        if (decoders.length > 0 && depth < MAX_DECODE_DEPTH) for (const decoder of decoders) decodeAt.push({ decoder, at: hits[next] as number, keyword, lineEnd });
      }
      if (!ruleKeyword && decodeAt.length > decodeFrom) {
        const kept = decodeAt.splice(decodeFrom).filter(({ decoder, keyword }) => decoder.alone === undefined || decoder.alone.includes(this.keywords.keywords[keyword] as string));
        decodeAt.push(...kept);
      }
      if (lineRules.size > 0) {
        if (lineEnd - lineStart <= LONG_LINE) {
          const line = text.slice(lineStart, lineEnd);
          let withNext: string | undefined;
          for (const rule of lineRules) {
            if (rule.nextLine) {
              // Only a line that ends in its operator (`password:`, `<password>`) leaves its value to the next.
              if (rule.nextLine !== "always" && !endsInOperator(line)) continue;
              if (withNext === undefined) {
                const following = text.indexOf("\n", lineEnd + 1);
                withNext = text.slice(lineStart, Math.min(following === -1 ? text.length : following, lineStart + 2 * LONG_LINE));
              }
              this.run(rule, withNext, lineStart, path, found, trace);
            } else {
              this.run(rule, line, lineStart, path, found, trace);
            }
          }
        } else {
          const windows: [number, number][] = [];
          for (let hit = first; hit < next; hit += 2) windows.push([Math.max(lineStart, (hits[hit] as number) - WINDOW), Math.min(lineEnd, (hits[hit] as number) + WINDOW)]);
          for (const [from, to] of mergeWindows(windows)) {
            const window = text.slice(from, to);
            for (const rule of lineRules) this.run(rule, window, from, path, found, trace);
          }
        }
        lineRules.clear();
      }
      first = next;
    }
    for (const rule of multiline) this.run(rule, text, 0, path, found, trace);
    for (const rule of this.pathRules) if (rule.path?.test(path)) this.run(rule, text, 0, path, found, trace);
    if (decodeAt.length > 0) this.decode(text, path, depth, decodeAt, found, trace);
    return found;
  }

  /** Decodes each encoded span once, scans the decoded text, and places its candidates on the encoded text. */
  private decode(text: string, path: string, depth: number, decodeAt: readonly DecodeHit[], found: Candidate[], trace?: Trace): void {
    const covered = new Map<Decoder, number>();
    for (const { decoder, at, lineEnd } of decodeAt) {
      if (at < (covered.get(decoder) ?? 0)) continue;
      const span = decoder.span(text, at, lineEnd);
      if (!span) continue;
      if (!Array.isArray(span)) {
        covered.set(decoder, span.skipTo);
        continue;
      }
      covered.set(decoder, span[1]);
      const decoded = decoder.decode(text.slice(span[0], span[1]));
      if (!decoded) continue;
      for (const inner of this.candidates(decoded.text, path, depth + 1, trace && ((event) => trace({ ...event, at: span[0], verdict: `${event.verdict} (in ${decoder.encoding}-decoded text)` })))) {
        const secret = inner.secret ?? decoded.text.slice(inner.start, inner.end);
        const located = decoded.offsets ? { start: span[0] + (decoded.offsets[inner.start] as number), end: span[0] + (decoded.offsets[inner.end] as number) } : { start: span[0], end: span[1] };
        const key = inner.key ?? inferKey(decoded.text.slice(decoded.text.lastIndexOf("\n", inner.matchStart - 1) + 1, inner.matchStart));
        found.push({ rule: inner.rule, ...located, matchStart: located.start, secret, decoded: inner.decoded ?? decoder.encoding, ...(key !== undefined && { key }) });
      }
    }
  }

  private run(rule: Rule, text: string, offset: number, path: string, found: Candidate[], trace?: Trace): void {
    const pattern = rule.pattern;
    pattern.lastIndex = 0;
    let matched = false;
    for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
      matched = true;
      if (match[0].length === 0) pattern.lastIndex += 1;
      const located = locate(rule, match, path);
      if (typeof located === "string") {
        trace?.({ ruleId: rule.id, at: offset + match.index, verdict: `dropped: ${located}` });
        continue;
      }
      for (const one of located) {
        const value = one.secret ?? text.slice(one.start, one.end);
        const rejected = rejection(rule, value);
        trace?.({ ruleId: rule.id, at: offset + one.start, redacted: redact(value), verdict: rejected ? `dropped: ${rejected}` : "accepted" });
        if (rejected) continue;
        found.push({ rule, start: offset + one.start, end: offset + one.end, matchStart: offset + match.index, key: one.key, ...(one.secret !== undefined && { secret: one.secret }) });
      }
    }
    if (!matched && trace && !rule.multiline && rule.keywords.length > 0) trace({ ruleId: rule.id, at: offset, verdict: "keyword on the line, pattern did not match" });
  }

  private toFindings(text: string, fragment: Fragment, candidates: Candidate[], trace?: Trace): Finding[] {
    const findings: Finding[] = [];
    if (candidates.length === 0) return findings;
    const context = pathContext(fragment.path);
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
      const secret = candidate.secret ?? text.slice(candidate.start, candidate.end);
      const key = candidate.key ?? inferKey(keyText(text, matchLineStart, candidate.matchStart));
      // The place: the key, or else the line around the value with every value on it masked; the nth such place in the file.
      const anchor = key !== undefined ? `key\0${key}` : `line\0${lineContext(text, matchLineStart, matchLineStart + matchLine.length, candidate, candidates)}`;
      const slot = `${candidate.rule.id}\0${anchor}`;
      const nth = occurrences.get(slot) ?? 0;
      occurrences.set(slot, nth + 1);
      const allowed = ALLOW_MARKER.exec(matchLine);
      if (allowed) {
        trace?.({ ruleId: candidate.rule.id, at: candidate.start, verdict: `dropped: the line is marked ${allowed[0]}` });
        continue;
      }
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
        ...(context !== undefined && { context }),
        ...(candidate.decoded !== undefined && { decoded: candidate.decoded }),
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
  // `all` is sorted by start: nothing after the first one past the window can overlap it.
  for (const other of all) {
    if (other.start >= to) break;
    if (other.end <= at) continue;
    context += `${text.slice(at, Math.max(at, other.start))}\0`;
    at = Math.max(at, other.end);
  }
  context += text.slice(at, Math.max(at, to));
  return context.replace(/\s+/g, " ").trim();
}

/** The value spans a match reports, or why it reports none. */
function locate(rule: Rule, match: RegExpExecArray, path: string): RuleMatch[] | string {
  if (rule.refine) {
    const refined = rule.refine(match);
    if (refined === undefined) return "the rule's own check of the match failed";
    const spans = (Array.isArray(refined) ? refined : [refined]).filter((one) => one.key === undefined || !rule.validKey || rule.validKey(one.key));
    return spans.length > 0 ? spans : "not a name of this kind";
  }
  const groups = match.indices?.groups;
  let key = match.groups?.key;
  if (key !== undefined && rule.extendKey && groups?.key) {
    const keyStart = identifierStart(match.input, groups.key[0]);
    if (keyStart === undefined) return "the name is longer than 40 characters";
    key = match.input.slice(keyStart, groups.key[1]);
  }
  if (key !== undefined && rule.validKey && !rule.validKey(key)) return `"${key}" is not a name of this kind (e.g. bypass, passed)`;
  if (groups?.secret) return [{ start: groups.secret[0], end: groups.secret[1], key }];
  if (groups?.bare) {
    // Anywhere, `NAME=value` written as an inline code span (Markdown, comments) is a literal.
    const nameStart = groups.key ? identifierStart(match.input, groups.key[0]) : undefined;
    const codeSpan = nameStart !== undefined && match.input[nameStart - 1] === "`" && match.input[groups.bare[1]] === "`";
    if (!codeSpan && !isConfigLike(path)) return "an unquoted value outside a config-like file";
    const bare = match.input.slice(groups.bare[0], groups.bare[1]);
    if (rule.bareValue && !rule.bareValue(bare)) return "an unquoted value that reads as an identifier or reference";
    return [{ start: groups.bare[0], end: groups.bare[1], key }];
  }
  return "no value captured";
}

/** Why a value is not reported, or undefined when it is. */
function rejection(rule: Rule, value: string): string | undefined {
  if (value.length === 0) return "empty value";
  if (rule.minLength !== undefined && value.length < rule.minLength) return `shorter than ${rule.minLength} characters`;
  if (isKnownExample(value)) return "a vendor's documented example key";
  if ((rule.placeholders ?? rule.generic) ? isPlaceholder(value) : isFake(value)) return "a placeholder, reference or masked value";
  if (rule.requireDigit && !/[0-9]/.test(value)) return "no digit";
  if (rule.minEntropy !== undefined) {
    const bits = entropy(value);
    if (bits < rule.minEntropy) return `entropy ${bits.toFixed(2)} below ${rule.minEntropy}`;
  }
  if (rule.validate && !rule.validate(value)) return "does not look like a credential of this kind (entropy, charset or shape)";
  return undefined;
}

/** A specific rule wins over a generic one on the same value; the same span is reported once; direct text wins over decoded. */
function resolveOverlaps(candidates: Candidate[], trace?: Trace): Candidate[] {
  candidates.sort((a, b) => a.start - b.start || Number(a.rule.generic ?? false) - Number(b.rule.generic ?? false));
  // Overlap queries over start-sorted spans: each is a binary search, so a fragment with many candidates stays n log n.
  const direct = overlapIndex(candidates.filter((c) => c.decoded === undefined));
  const specific = overlapIndex(candidates.filter((c) => !c.rule.generic));
  const specificDirect = overlapIndex(candidates.filter((c) => !c.rule.generic && c.decoded === undefined));
  const kept: Candidate[] = [];
  const spans = new Map<string, Candidate>();
  const widest = new Map<string, number>();
  const drop = (candidate: Candidate, why: string) => trace?.({ ruleId: candidate.rule.id, at: candidate.start, verdict: `dropped: ${why}` });
  for (const candidate of candidates) {
    const span = `${candidate.start}:${candidate.end}:${candidate.secret ?? ""}`;
    const same = spans.get(span);
    if (same) {
      drop(candidate, `the same value is reported by ${same.rule.id}`);
      continue;
    }
    if (candidate.decoded !== undefined) {
      const plain = direct(candidate);
      if (plain) {
        drop(candidate, `the encoded text is already reported by ${plain.rule.id}`);
        continue;
      }
    }
    const winner = candidate.rule.generic ? (candidate.decoded !== undefined ? specific : specificDirect)(candidate) : undefined;
    if (winner) {
      drop(candidate, `the specific rule ${winner.rule.id} matched the same value`);
      continue;
    }
    // Kept spans come in start order, so one already kept by the same rule for the same value contains this one when it reaches as far.
    const sameRule = `${candidate.rule.id}\0${candidate.secret === undefined ? "-" : `+${candidate.secret}`}`;
    if (!candidate.rule.generic && (widest.get(sameRule) ?? -1) >= candidate.end) continue;
    kept.push(candidate);
    spans.set(span, candidate);
    if (!candidate.rule.generic) widest.set(sameRule, Math.max(widest.get(sameRule) ?? -1, candidate.end));
  }
  return kept;
}

/** For start-sorted spans: a function giving a span that overlaps a candidate not among them (the one reaching farthest), or undefined. */
function overlapIndex(spans: readonly Candidate[]): (candidate: Candidate) => Candidate | undefined {
  // farthest[i]: the span reaching farthest among spans[0..i].
  const farthest: Candidate[] = [];
  for (const [index, span] of spans.entries()) {
    const before = farthest[index - 1];
    farthest.push(before && before.end >= span.end ? before : span);
  }
  return (candidate) => {
    // spans[0..low) start before the candidate ends; the farthest of them overlaps it if any does.
    let low = 0;
    let high = spans.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((spans[middle] as Candidate).start < candidate.end) low = middle + 1;
      else high = middle;
    }
    const reach = farthest[low - 1];
    return reach && reach.end > candidate.start ? reach : undefined;
  };
}

const IDENTIFIER_CHAR = /[A-Za-z0-9_.$-]/;

/** Walks back from `at` to the start of the identifier around it; undefined past 40 characters. */
function identifierStart(text: string, at: number): number | undefined {
  let start = at;
  while (start > 0 && IDENTIFIER_CHAR.test(text[start - 1] as string)) {
    start -= 1;
    if (at - start > 40) return undefined;
  }
  return start;
}

/** What stands before a match on its line; a URI match starts at `://`, so its scheme is left out. */
function keyText(text: string, lineStart: number, matchStart: number): string {
  const before = text.slice(lineStart, matchStart);
  return text.startsWith("://", matchStart) ? before.replace(/[A-Za-z][A-Za-z0-9+.-]*$/, "") : before;
}

/** `STRIPE_KEY = "` before a value names it. */
function inferKey(before: string): string | undefined {
  return /([A-Za-z_][A-Za-z0-9_.-]*)\\?["'\]]?\s*(?:=|:|=>|:=|->)\s*\\?["'`]?$/.exec(before)?.[1];
}

/** The line's last visible character is `:`, `=`, `|`, `>`, `+`, `-` or `(` (a value in parentheses on the next line). */
function endsInOperator(line: string): boolean {
  let at = line.length - 1;
  while (at >= 0 && (line[at] === " " || line[at] === "\t" || line[at] === "\r")) at -= 1;
  const last = line[at];
  return last === ":" || last === "=" || last === "|" || last === ">" || last === "+" || last === "-" || last === "(";
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
