/**
 * Encodings the detector looks through (as gitleaks' `--max-decode-depth` does): base64
 * blobs, percent-encoding, and strings escaped for JSON or XML. Each decoder is woken by
 * keywords in the same keyword search as the rules: for base64, the encodings of words
 * such as `password` at each of the three byte alignments.
 */
import { decodeBase64Text } from "../rules.ts";

export type Encoding = "base64" | "percent" | "escaped";

/** Decoded text inside decoded text is scanned once more, no deeper. */
export const MAX_DECODE_DEPTH = 2;

export interface Decoded {
  text: string;
  /** Per decoded offset (and one past the end), the offset in the encoded text; absent when the encoding has no such map (base64). */
  offsets?: number[];
}

export interface Decoder {
  encoding: Encoding;
  keywords: readonly string[];
  /**
   * Decoding only makes rules' keywords readable when the encoding hides them; an escaped or
   * percent-encoded line without a keyword of its own is skipped, unless the hit is one of these.
   */
  alone?: readonly string[];
  /** The encoded text around a keyword hit on a line ending at `lineEnd`, or how far to skip; later hits inside it are not looked at again. */
  span(text: string, at: number, lineEnd: number): [number, number] | { skipTo: number } | undefined;
  decode(encoded: string): Decoded | undefined;
}

/** The base64 text of `word` that does not depend on the bytes around it, at each of the 3 alignments. */
export function base64Keywords(word: string): string[] {
  const bytes = Buffer.from(word);
  const out: string[] = [];
  for (let offset = 0; offset < 3; offset += 1) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString("base64");
    const fixed = encoded.slice(Math.ceil((8 * offset) / 6), Math.floor((8 * (offset + bytes.length)) / 6));
    if (fixed.length >= 6) out.push(fixed.toLowerCase());
  }
  return out;
}

const BASE64_WORDS = ["password", "Password", "PASSWORD", "secret", "SECRET", "Secret", "token", "Token", "TOKEN", "-----BEGIN", "postgres", "mysql://", "mongodb", "redis://", "_authToken", "api_key", "apiKey", "API_KEY", "_key\":", "sk_live_", "rk_live_", "github_pat_", "glpat-", "xoxb-", "xoxp-"];

/** Longest base64 text decoded: a kubeconfig or a service-account key fits, an inline source map does not. */
const MAX_BLOB = 16384;

function isBase64Char(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || code === 43 || code === 47 || code === 45 || code === 95;
}

const base64: Decoder = {
  encoding: "base64",
  keywords: [...new Set(BASE64_WORDS.flatMap(base64Keywords))],
  // At most one blob's length either way; the rest of a line holding a longer run (an inline source map) is skipped.
  span(text, at, lineEnd) {
    let start = at;
    while (start > 0 && at - start <= MAX_BLOB && isBase64Char(text.charCodeAt(start - 1))) start -= 1;
    if (at - start > MAX_BLOB) return { skipTo: lineEnd };
    let end = at;
    while (end < text.length && end - start <= MAX_BLOB && isBase64Char(text.charCodeAt(end))) end += 1;
    if (end - start > MAX_BLOB) return { skipTo: lineEnd };
    while (end < text.length && text[end] === "=" && end - start < MAX_BLOB) end += 1;
    return end - start >= 16 ? [start, end] : undefined;
  },
  decode(encoded) {
    // Inline source maps and images run to megabytes and hold no credentials worth the decoding.
    if (encoded.length > MAX_BLOB) return undefined;
    const text = decodeBase64Text(encoded.length % 4 === 1 ? encoded.slice(0, -1) : encoded);
    return text === undefined ? undefined : { text };
  },
};

/** Replaces escapes by what they stand for, keeping where each decoded character came from. */
function unescape(encoded: string, pattern: RegExp, replacement: (escape: string) => string | undefined): Decoded | undefined {
  let text = "";
  const offsets: number[] = [];
  let last = 0;
  let changed = false;
  for (const match of encoded.matchAll(pattern)) {
    const value = replacement(match[0]);
    if (value === undefined) continue;
    for (let i = last; i < match.index; i += 1) offsets.push(i);
    text += encoded.slice(last, match.index);
    for (let i = 0; i < value.length; i += 1) offsets.push(match.index);
    text += value;
    last = match.index + match[0].length;
    changed = true;
  }
  if (!changed) return undefined;
  for (let i = last; i <= encoded.length; i += 1) offsets.push(i);
  text += encoded.slice(last);
  return { text, offsets };
}

/** What ends a percent-encoded run; one pattern for the per-character walk. */
const URL_END = /[\s"'<>`]/;

const percent: Decoder = {
  encoding: "percent",
  keywords: ["%3d", "%3a", "%40", "%22", "%2f%2f", "%3a%2f%2f"],
  alone: ["%3a%2f%2f"],
  span(text, at) {
    let start = at;
    while (start > 0 && !URL_END.test(text[start - 1] as string) && at - start < 4096) start -= 1;
    let end = at;
    while (end < text.length && !URL_END.test(text[end] as string) && end - at < 4096) end += 1;
    return [start, end];
  },
  decode(encoded) {
    return unescape(encoded, /%[0-7][0-9A-Fa-f]/g, (escape) => String.fromCharCode(parseInt(escape.slice(1), 16)));
  },
};

const ENTITIES: Record<string, string> = { "&quot;": '"', "&#34;": '"', "&apos;": "'", "&#39;": "'", "&lt;": "<", "&gt;": ">", "&amp;": "&", "&#x22;": '"' };

const escaped: Decoder = {
  encoding: "escaped",
  keywords: ["&quot;", "&#34;", "&apos;", "&#39;", "&lt;", "&#x22;", '\\"', "\\'"],
  alone: [],
  // The line around the escape, at most 256 characters either side: an escaped name and its value sit close together.
  span(text, at) {
    let start = at;
    while (start > 0 && at - start < 256 && text[start - 1] !== "\n") start -= 1;
    let end = at;
    while (end < text.length && end - at < 256 && text[end] !== "\n") end += 1;
    return [start, end];
  },
  decode(encoded) {
    return unescape(encoded, /\\+["']|&(?:quot|apos|lt|gt|amp|#34|#39|#x22);/g, (escape) => (escape.startsWith("&") ? ENTITIES[escape] : escape[escape.length - 1]));
  },
};

export const DECODERS: readonly Decoder[] = [base64, percent, escaped];
