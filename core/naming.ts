/**
 * The naming convention: one template such as `/{org}/{team}/{env}/{app}/{name}` turns
 * parts into names and names back into parts, and every name is checked against the
 * template and against the rules of both stores (Secrets Manager and SSM).
 */

export const PLACEHOLDERS = ["org", "team", "env", "app", "name"] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];
export type NameParts = Record<Placeholder, string>;
export type Store = "secretsmanager" | "ssm";

export const DEFAULT_TEMPLATE = "/{org}/{team}/{env}/{app}/{name}";

/** A segment is what one placeholder renders to: valid in both stores, never a `/`. */
const SEGMENT = /^[A-Za-z0-9_.-]+$/;
const SM_CHARSET = /^[A-Za-z0-9/_+=.@-]+$/;
const SSM_CHARSET = /^[A-Za-z0-9/_.-]+$/;
/** Secrets Manager appends `-` and 6 characters to the ARN; a name ending so is ambiguous. */
const SM_SUFFIX_PITFALL = /-[A-Za-z0-9]{6}$/;

export const LIMITS = {
  secretsManagerNameMax: 512,
  ssmNameMax: 1011,
  ssmLevelsMax: 15,
} as const;

type TemplateSegment = { literal: string } | { placeholder: Placeholder };

export interface Template {
  readonly source: string;
  readonly leadingSlash: boolean;
  readonly segments: readonly TemplateSegment[];
}

/** Parses and checks a template; throws an Error naming the problem. */
export function parseTemplate(source: string): Template {
  const leadingSlash = source.startsWith("/");
  const body = leadingSlash ? source.slice(1) : source;
  if (body === "") throw new Error(`naming template "${source}" is empty`);
  const seen = new Set<string>();
  const segments = body.split("/").map((text): TemplateSegment => {
    const match = /^\{([a-z]+)\}$/.exec(text);
    if (match) {
      const name = match[1] as string;
      if (!(PLACEHOLDERS as readonly string[]).includes(name)) {
        throw new Error(`naming template "${source}" has unknown placeholder {${name}} (known: ${PLACEHOLDERS.join(", ")})`);
      }
      if (seen.has(name)) throw new Error(`naming template "${source}" uses {${name}} twice`);
      seen.add(name);
      return { placeholder: name as Placeholder };
    }
    if (text.includes("{") || text.includes("}")) {
      throw new Error(`naming template "${source}": a placeholder must fill a whole path segment, got "${text}"`);
    }
    if (!SEGMENT.test(text)) throw new Error(`naming template "${source}" has an invalid literal segment "${text}"`);
    return { literal: text };
  });
  if (!seen.has("name")) throw new Error(`naming template "${source}" must contain {name}`);
  return { source, leadingSlash, segments };
}

export function isValidSegment(text: string): boolean {
  return SEGMENT.test(text) && text !== "." && text !== "..";
}

/**
 * Turns free text into a segment: `DB Password` -> `db-password`, `dbPassword` ->
 * `db-password`, `DB_PASS` -> `db-pass`. Returns "" when nothing usable is left.
 */
export function normaliseSegment(text: string): string {
  return text
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, "-")
    .replace(/\.{2,}/g, ".")
    .replace(/^[-.]+|[-.]+$/g, "")
    .slice(0, 128)
    .replace(/[-.]+$/g, "");
}

/**
 * A normalised leaf segment that also avoids the Secrets Manager `-XXXXXX` suffix
 * pitfall by turning the last hyphen into an underscore (`api-secret` -> `api_secret`).
 */
export function normaliseLeaf(text: string): string {
  const segment = normaliseSegment(text);
  return SM_SUFFIX_PITFALL.test(segment) ? segment.replace(/-([A-Za-z0-9]{6})$/, "_$1") : segment;
}

/**
 * Renders a name; throws if a part is missing or not a valid segment, or the name breaks
 * a rule of `store` (of both stores when none is given).
 */
export function renderName(template: Template, parts: Partial<NameParts>, store?: Store): string {
  const rendered = template.segments.map((segment) => {
    if ("literal" in segment) return segment.literal;
    const value = parts[segment.placeholder];
    if (value === undefined || value === "") throw new Error(`name part {${segment.placeholder}} is missing`);
    if (!isValidSegment(value)) {
      throw new Error(`name part {${segment.placeholder}} "${value}" may only hold letters, digits, "_", "." and "-"`);
    }
    return value;
  });
  const name = (template.leadingSlash ? "/" : "") + rendered.join("/");
  const problems = [
    ...(store !== "ssm" ? validateSecretsManagerName(name) : []),
    ...(store !== "secretsmanager" ? validateSsmName(name) : []),
  ];
  if (problems.length > 0) throw new Error(`name "${name}": ${problems[0]}`);
  return name;
}

/** Parses a name back into its parts, or returns undefined when it does not follow the template. */
export function parseName(template: Template, name: string): Partial<NameParts> | undefined {
  if (template.leadingSlash !== name.startsWith("/")) return undefined;
  const texts = (template.leadingSlash ? name.slice(1) : name).split("/");
  if (texts.length !== template.segments.length) return undefined;
  const parts: Partial<NameParts> = {};
  for (const [index, segment] of template.segments.entries()) {
    const text = texts[index] as string;
    if ("literal" in segment) {
      if (text !== segment.literal) return undefined;
    } else {
      if (!isValidSegment(text)) return undefined;
      parts[segment.placeholder] = text;
    }
  }
  return parts;
}

/**
 * The `team`, `env` and `app` tags a name carries by the template: the tags the access
 * policies' tag conditions test (`aws:RequestTag/team` on creation) and the secrets stack
 * sets. Read from the name's leading segments, so a name deeper than the template (an
 * import prefix with more levels) still gets them; empty when the name does not follow it.
 */
export function conventionTags(template: Template, name: string): Record<string, string> {
  if (template.leadingSlash !== name.startsWith("/")) return {};
  const texts = (template.leadingSlash ? name.slice(1) : name).split("/");
  const tags: Record<string, string> = {};
  // The last segment is the leaf: only the parts before it say whose the name is.
  for (const [index, segment] of template.segments.slice(0, -1).entries()) {
    const text = texts[index];
    if (text === undefined || index >= texts.length - 1) break;
    if ("literal" in segment) {
      if (text !== segment.literal) return {};
    } else if (!isValidSegment(text)) return {};
    else if (segment.placeholder === "team" || segment.placeholder === "env" || segment.placeholder === "app") tags[segment.placeholder] = text;
  }
  return tags;
}

/** Problems with a name as a Secrets Manager secret name; empty when valid. */
export function validateSecretsManagerName(name: string): string[] {
  const problems: string[] = [];
  if (name.length < 1 || name.length > LIMITS.secretsManagerNameMax) {
    problems.push(`Secrets Manager names are 1 to ${LIMITS.secretsManagerNameMax} characters (got ${name.length})`);
  }
  if (name.length > 0 && !SM_CHARSET.test(name)) {
    problems.push(`Secrets Manager names may only hold letters, digits and /_+=.@- (found "${firstBadChar(name, SM_CHARSET)}")`);
  }
  if (SM_SUFFIX_PITFALL.test(name)) {
    problems.push("Secrets Manager names must not end in a hyphen and six characters (it reads as the ARN suffix)");
  }
  return problems;
}

/** Problems with a name as an SSM parameter name; empty when valid. */
export function validateSsmName(name: string): string[] {
  const problems: string[] = [];
  if (name.length < 1 || name.length > LIMITS.ssmNameMax) {
    problems.push(`SSM parameter names are 1 to ${LIMITS.ssmNameMax} characters (got ${name.length})`);
  }
  if (name.length > 0 && !SSM_CHARSET.test(name)) {
    problems.push(`SSM parameter names may only hold letters, digits and _.-/ (found "${firstBadChar(name, SSM_CHARSET)}")`);
  }
  if (/^\/?(aws|ssm)/i.test(name)) problems.push('SSM parameter names must not begin with "aws" or "ssm"');
  if (name.includes("/")) {
    if (!name.startsWith("/")) problems.push('an SSM parameter name with "/" must start with "/"');
    if (name.endsWith("/") || name.includes("//")) problems.push("SSM parameter names have no empty path segment");
    const levels = name.split("/").length - 1;
    if (levels > LIMITS.ssmLevelsMax) problems.push(`SSM parameter names have at most ${LIMITS.ssmLevelsMax} levels (got ${levels})`);
  }
  return problems;
}

/** Problems with a name in one store and against the template; empty when valid. */
export function validateName(template: Template, name: string, store: Store): string[] {
  const problems = store === "secretsmanager" ? validateSecretsManagerName(name) : validateSsmName(name);
  if (parseName(template, name) === undefined) problems.push(`does not follow the naming template ${template.source}`);
  return problems;
}

function firstBadChar(name: string, charset: RegExp): string {
  return [...name].find((char) => !charset.test(char)) ?? "";
}
