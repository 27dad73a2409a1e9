/**
 * What a rule is and the helpers rules are written with. Every rule carries its own
 * true and false samples (`tps`/`fps`), checked by test/scan/rule-samples.test.ts.
 */

export interface RuleMatch {
  /** Offsets in the searched text. */
  start: number;
  end: number;
  key?: string;
  /** The value the user stored, when the text encodes it (a base64 `<Pass>`, a Kubernetes `data:` entry). */
  secret?: string;
}

/** A text the rule must (tps) or must not (fps) report; a bare string is scanned as `config.txt`. */
export type Sample = string | { text: string; path: string };

export interface Rule {
  id: string;
  description: string;
  /** Lowercase literals: only lines holding one reach the pattern. Empty: the rule runs on every file its `path` admits. */
  keywords: readonly string[];
  /** Global, with indices (`gd`). */
  pattern: RegExp;
  /** The pattern spans lines: it runs over the whole fragment when a keyword is present. */
  multiline?: boolean;
  /**
   * The value may sit on the line after the name (`password:` then the value): the pattern sees the keyword's line and the next,
   * when the line ends in an operator; `always` for pairs whose first line is complete (`- name: DB_PASSWORD` then `value: ...`).
   */
  nextLine?: boolean | "always";
  /** Only files whose path matches. */
  path?: RegExp;
  /** Lowest Shannon entropy (bits per character) the value must reach. */
  minEntropy?: number;
  /** Shortest value. */
  minLength?: number;
  /** Generic rules give way to a specific rule that matched the same value. */
  generic?: boolean;
  /** Reject placeholder values such as `changeme`, `${VAR}`, `<password>`; on for generic rules. */
  placeholders?: boolean;
  /** Reject values that contain none of these character classes. */
  requireDigit?: boolean;
  /**
   * The `key` group starts at the distinctive word (`password`); the detector extends it
   * back to the start of the identifier (`DB_PASSWORD`). Patterns that begin with a
   * literal are much faster than ones that begin with `[A-Za-z0-9_]*`.
   */
  extendKey?: boolean;
  /** A check on the whole variable name once extended (`bypass` is not a password name). */
  validKey?: (key: string) => boolean;
  /** An extra check for unquoted (`bare`) values, which are easier to mistake. */
  bareValue?: (value: string) => boolean;
  /** A last check on the value. */
  validate?: (value: string) => boolean;
  /** Replaces the named groups when one match holds the value (or several) somewhere inside (blocks, call arguments). */
  refine?: (match: RegExpExecArray) => RuleMatch | RuleMatch[] | undefined;
  samples: { tps: readonly Sample[]; fps: readonly Sample[] };
}

/** `ci("key")` -> `[kK][eE][yY]`: case-insensitive words in patterns whose values are case-sensitive. */
export function ci(word: string): string {
  return word.replace(/[a-z]/gi, (c) => `[${c.toLowerCase()}${c.toUpperCase()}]`);
}

export const END = "(?![A-Za-z0-9_-])";
export const START = "(?<![A-Za-z0-9_])";
export const IDENT = "[A-Za-z0-9_.-]";
/** The operators of config and code: `=`, `:`, `=>`, `:=`, `->`, `,`, and make's and scanners' `::=`, `:::=`, `?=`, `||:`, `<=`, `>`. */
export const ASSIGN = `\\\\?["'\\]]{0,2}\\s*(?:=|:{1,3}=|:|=>|->|,|\\?=|\\|\\|:|<=|>)\\s*`;
/** A type between a name and its `=` (`dbPassword: string =`, `const KEY: &str =`, `password string =`, `val token: String? =`, `Dim pw As String =`, `char pw[] =`). */
export const TYPE_ANNOTATION = "(?:\\??\\s*:\\s*(?:&(?:'static\\s+)?)?[A-Za-z_][\\w.]{0,30}(?:<[^<>=\\n]{0,40}>)?(?:\\[\\])?\\??(?=\\s*=[^=>])|[ \\t]+(?:string|String|str)(?=\\s*=[^=>])|[ \\t]+[Aa]s[ \\t]+[Ss]tring(?=\\s*=[^=>])|\\[\\d*\\](?=\\s*=[^=>]))?";
/** Generic names take no `,`: `["password", "passphrase"]` is a list of names, not a name and its value. */
export const ASSIGN_NO_COMMA = `\\\\?["'\\]]{0,2}\\s*(?:=|:{1,3}=|:|=>|->|<-|\\?=|\\|\\|:)\\s*`;

export const BASE64 = "[A-Za-z0-9+/]";
export const ALNUM = "[A-Za-z0-9]";
export const URLSAFE = "[A-Za-z0-9_-]";

export function re(source: string, flags = ""): RegExp {
  return new RegExp(source, `gd${flags}`);
}

type Extra = Partial<Omit<Rule, "samples">> & { fps?: readonly Sample[] };

function samplesOf(tps: Sample | readonly Sample[], fps: readonly Sample[] | undefined): Rule["samples"] {
  const list = typeof tps === "string" || !Array.isArray(tps) ? [tps as Sample] : (tps as readonly Sample[]);
  return { tps: list, fps: fps ?? list.map(placeholderOf) };
}

/** The same sample with its random part masked (`ghp_xxxx...`): what documentation shows, never a credential. */
export function placeholderOf(sample: Sample): Sample {
  const mask = (text: string) => text.replace(/[A-Za-z0-9]{6,}/g, (run) => "x".repeat(run.length));
  return typeof sample === "string" ? mask(sample) : { ...sample, text: mask(sample.text) };
}

/** A token recognised by its own format, anywhere. */
export function token(id: string, description: string, body: string, keywords: string[], tps: Sample | readonly Sample[], extra: Extra = {}): Rule {
  const { fps, ...rest } = extra;
  return { id, description, keywords, pattern: re(`${START}(?<secret>${body})${END}`), ...rest, samples: samplesOf(tps, fps) };
}

/** A value only recognisable next to a variable name that says what it is (`DATADOG_API_KEY = "..."`). */
export function named(id: string, description: string, keyPattern: string, value: string, keywords: string[], tps: Sample | readonly Sample[], extra: Extra = {}): Rule {
  const { fps, ...rest } = extra;
  const source = `(?<key>${keyPattern}${IDENT}{0,40})${TYPE_ANNOTATION}${ASSIGN}(?:[A-Za-z]*\\(\\s*)?\\\\?["'\`]?(?<secret>${value})(?![A-Za-z0-9_+/=-])`;
  return { id, description, keywords, pattern: re(source), extendKey: true, ...rest, samples: samplesOf(tps, fps) };
}

export const CHARS = {
  hex: "0123456789abcdef",
  upperHex: "0123456789ABCDEF",
  lower: "abcdefghijklmnopqrstuvwxyz0123456789",
  upper: "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
  alnum: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
  base64: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
  urlsafe: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-",
  digits: "0123456789",
} as const;

let state = 0x2545f491;

/**
 * Deterministic random text for samples, so no credential-shaped literal sits in the
 * source (the repository's own scan stays clean). Always holds a letter and a digit.
 */
export function fake(charset: string, length: number): string {
  for (;;) {
    let out = "";
    for (let i = 0; i < length; i += 1) {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      out += charset[(state >>> 0) % charset.length];
    }
    const letters = /[A-Za-z]/.test(charset);
    const digits = /[0-9]/.test(charset);
    if (length < 6 || ((!letters || /[A-Za-z]/.test(out)) && (!digits || /[0-9]/.test(out)) && (!/[A-Z]/.test(charset) || !/[a-z]/.test(charset) || (/[A-Z]/.test(out) && /[a-z]/.test(out))))) return out;
  }
}
