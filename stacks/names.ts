/**
 * Names of the infrastructure around the secrets: stacks, state keys, IAM groups and the
 * ARN patterns that scope a team's policies. Secret names themselves come from
 * `core/naming.ts` through the config (`ResolvedSecret.fullName`).
 */
import type { Config } from "../core/config.ts";
import { inputError } from "../core/errors.ts";
import type { NameParts, Template } from "../core/naming.ts";

export const STACK_NAMES = {
  state: "state",
  secrets: "secrets",
  access: "access",
  monitoring: "monitoring",
} as const;
export type StackName = (typeof STACK_NAMES)[keyof typeof STACK_NAMES];

/** Object key of a stack's state in the state bucket. */
export function stateKey(config: Config, stack: StackName): string {
  return `${config.state.keyPrefix.replace(/\/+$/, "")}/${stack}.tfstate`;
}

/** Tags every resource carries, through the provider's default tags. */
export function defaultTags(config: Config): Record<string, string> {
  return { "managed-by": "vaultlift", "vaultlift:org": config.org };
}

/**
 * The name prefix shared by every name whose known parts are `known`: the template is
 * rendered up to its last known placeholder, and placeholders before it that are not
 * known become `*`. `/{org}/{team}/{env}/...` with org and team gives `/acme/payments/`.
 * Returns undefined when the template holds none of the known placeholders.
 */
export function namePrefix(template: Template, known: Partial<NameParts>): string | undefined {
  const lastKnown = template.segments.findLastIndex((segment) => "placeholder" in segment && known[segment.placeholder] !== undefined);
  if (lastKnown < 0) return undefined;
  const rendered = template.segments.slice(0, lastKnown + 1).map((segment) => ("literal" in segment ? segment.literal : (known[segment.placeholder] ?? "*")));
  return `${template.leadingSlash ? "/" : ""}${rendered.join("/")}/`;
}

/** The name prefix of one team; the access stack cannot scope a team without one. */
export function teamPrefix(config: Config, team: string): string {
  const prefix = namePrefix(config.template, { org: config.org, team });
  const hasTeam = config.template.segments.some((segment) => "placeholder" in segment && segment.placeholder === "team");
  if (!prefix || !hasTeam) {
    throw inputError(`${config.file}: naming.template "${config.template.source}" has no {team}: the access stack scopes each team by its name prefix`);
  }
  return prefix;
}

/**
 * ARN patterns that match every secret and parameter whose name starts with `prefix`, and
 * the ARN of the parameter path itself (the prefix without its trailing `/`).
 */
export function prefixArns(config: Config, prefix: string): { secrets: string; parameters: string; parameterPath: string } {
  const account = config.accountId ?? "*";
  const parameterPath = prefix.startsWith("/") ? prefix : `/${prefix}`;
  return {
    secrets: `arn:aws:secretsmanager:*:${account}:secret:${prefix}*`,
    parameters: `arn:aws:ssm:*:${account}:parameter${parameterPath}*`,
    parameterPath: `arn:aws:ssm:*:${account}:parameter${parameterPath.replace(/\/+$/, "")}`,
  };
}

/** IAM group name for one role of one team, e.g. `acme-payments-readers`. */
export function groupName(config: Config, team: string, role: string): string {
  return `${config.org}-${team}-${role}`;
}

/** A Terraform-safe construct id from a secret's full name. */
export function constructId(fullName: string): string {
  return fullName.replace(/^\/+/, "").replace(/[^A-Za-z0-9_-]/g, "_");
}
