/**
 * The one redaction function. It never shows the exact length (only a bucket), and shows a
 * prefix only where it reveals nothing useful: a token format's fixed prefix (`ghp_`,
 * `sk_live_`), or four characters of a long random value. Passwords and short values show
 * nothing at all.
 */
import { entropy } from "./entropy.ts";

/** Public prefixes of token formats: the same for every token of the format. */
const FIXED_PREFIX =
  /^(?:github_pat_|gh[pousr]_|glpat-|[rs]k_(?:live|test)_|pk_(?:live|test)_|whsec_|xox[abposr]-|xapp-|sk-(?:proj-|ant-(?:api\d\d-)?)?|npm_|pypi-|AKIA|ASIA|AIza|SG\.|dop_v1_|shpat_|shpss_|hvs\.|lin_api_|sq0csp-|EAAC)/;

const BUCKETS: readonly [number, string][] = [
  [7, "<8"],
  [16, "8-16"],
  [32, "17-32"],
  [64, "33-64"],
  [128, "65-128"],
];

/** A value this long and this random loses nothing by showing four characters. */
const RANDOM_MIN_LENGTH = 32;
const RANDOM_MIN_BITS_PER_CHAR = 4.2;

export function redact(value: string): string {
  return `${visiblePrefix(value).replace(/[^\x20-\x7e]/g, "?")}********(${sizeBucket(value.length)})`;
}

/** A length as its bucket (`<8`, `8-16`, ...): what outputs say of a value's size. */
export function sizeBucket(length: number): string {
  return BUCKETS.find(([max]) => length <= max)?.[1] ?? ">128";
}

function visiblePrefix(value: string): string {
  const fixed = FIXED_PREFIX.exec(value)?.[0];
  if (fixed !== undefined) return value.length >= fixed.length + 12 ? fixed : "";
  return value.length >= RANDOM_MIN_LENGTH && entropy(value) >= RANDOM_MIN_BITS_PER_CHAR ? value.slice(0, 4) : "";
}

