/**
 * Compares two secret values: JSON objects key by key (nested keys as `a.b`), anything
 * else as text. Values are masked with the one redaction function unless asked for.
 */
import { inputError } from "../../core/errors.ts";
import { redact } from "../../core/redact.ts";
import { parseSecretRef, parseVersionSpec, type SecretRef } from "./selector.ts";

export interface KeyChange {
  key: string;
  change: "added" | "removed" | "changed";
  before?: string;
  after?: string;
}

export interface ValueDiff {
  same: boolean;
  /** JSON objects on both sides: the key-level changes; undefined for text. */
  keys?: KeyChange[];
}

export function diffValues(before: string, after: string): ValueDiff {
  const a = jsonObject(before);
  const b = jsonObject(after);
  if (!a || !b) return { same: before === after };
  const left = flatten(a);
  const right = flatten(b);
  const keys: KeyChange[] = [];
  for (const key of [...new Set([...left.keys(), ...right.keys()])].sort()) {
    const was = left.get(key);
    const is = right.get(key);
    if (was === undefined) keys.push({ key, change: "added", after: is });
    else if (is === undefined) keys.push({ key, change: "removed", before: was });
    else if (was !== is) keys.push({ key, change: "changed", before: was, after: is });
  }
  return { same: keys.length === 0, keys };
}

/** The lines `secrets diff` prints: `+ key`, `- key`, `~ key` with masked values, or a line diff of text. */
export function formatDiff(before: string, after: string, diff: ValueDiff, showValues: boolean): string[] {
  const show = (value: string | undefined) => (value === undefined ? "" : showValues ? value : redact(value));
  if (diff.keys) {
    return diff.keys.map(({ key, change, before: was, after: is }) => {
      if (change === "added") return `+ ${key}: ${show(is)}`;
      if (change === "removed") return `- ${key}: ${show(was)}`;
      return `~ ${key}: ${show(was)} -> ${show(is)}`;
    });
  }
  if (diff.same) return [];
  if (!showValues) return [`~ value: ${redact(before)} -> ${redact(after)}`];
  return lineDiff(before.split("\n"), after.split("\n"));
}

function jsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Leaf values by dotted path; arrays and scalars are leaves, rendered as JSON unless they are strings. */
function flatten(object: Record<string, unknown>, prefix = "", into = new Map<string, string>()): Map<string, string> {
  for (const [key, value] of Object.entries(object)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length > 0) {
      flatten(value as Record<string, unknown>, path, into);
    } else {
      into.set(path, typeof value === "string" ? value : JSON.stringify(value));
    }
  }
  return into;
}

/** A plain longest-common-subsequence line diff; secret values are small. */
function lineDiff(a: string[], b: string[]): string[] {
  const lengths = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      const row = lengths[i] as number[];
      row[j] = a[i] === b[j] ? (lengths[i + 1]?.[j + 1] ?? 0) + 1 : Math.max(lengths[i + 1]?.[j] ?? 0, row[j + 1] ?? 0);
    }
  }
  const lines: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      lines.push(`  ${a[i]}`);
      i++;
      j++;
    } else if (i < a.length && (j === b.length || (lengths[i + 1]?.[j] ?? 0) >= (lengths[i]?.[j + 1] ?? 0))) {
      lines.push(`- ${a[i]}`);
      i++;
    } else {
      lines.push(`+ ${b[j]}`);
      j++;
    }
  }
  return lines;
}

/**
 * The two sides of `secrets diff`: `NAME` alone is AWSPREVIOUS vs current; `NAME~2` alone
 * is that version vs current; `X Y` compares X with Y; `NAME A B` compares two versions of NAME.
 * In A and B a word containing "/" or equal to NAME is a name; `~N`, `#ID`, `:L` or another word a version.
 */
export function diffSides(name: string, a?: string, b?: string): [SecretRef, SecretRef] {
  const base = parseSecretRef(name);
  const current: SecretRef = { name: base.name, selector: {} };
  const side = (text: string): SecretRef => {
    if (/^[#:~]/.test(text)) return { name: base.name, selector: parseVersionSpec(text) };
    if (text.includes("/") || text.startsWith("arn:") || parseSecretRef(text).name === base.name) return parseSecretRef(text);
    return { name: base.name, selector: parseVersionSpec(text) };
  };
  const hasSelector = Object.keys(base.selector).length > 0;
  if (a === undefined) return [hasSelector ? base : { name: base.name, selector: { stage: "AWSPREVIOUS" } }, current];
  if (b === undefined) return hasSelector ? [base, side(a)] : [side(a), current];
  if (hasSelector) throw inputError(`"${name}" already names a version: give at most one more`);
  return [side(a), side(b)];
}
