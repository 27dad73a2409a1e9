/**
 * Compact version selectors, accepted wherever a version is named:
 * `NAME#VERSION_ID`, `NAME:STAGE_OR_LABEL` (`NAME:3` is SSM version 3), `NAME~N`
 * (N versions before the current one). Neither store allows `#`, `:` or `~` in a name,
 * so the first of them starts the selector (after the fixed part of an ARN).
 */
import { inputError } from "../../core/errors.ts";
import type { VersionSelector } from "./types.ts";

export interface SecretRef {
  name: string;
  selector: VersionSelector;
}

/** `arn:partition:secretsmanager:region:account:secret:NAME` has 7 fields, `...:ssm:...:parameter/NAME` has 6. */
function arnFieldCount(text: string): number | undefined {
  if (!text.startsWith("arn:")) return undefined;
  const service = text.split(":")[2];
  return service === "secretsmanager" ? 7 : service === "ssm" ? 6 : undefined;
}

export function parseSecretRef(text: string): SecretRef {
  let head = text;
  let rest = "";
  const fields = arnFieldCount(text);
  if (fields !== undefined) {
    const parts = text.split(":");
    head = parts.slice(0, fields).join(":");
    rest = parts.length > fields ? `:${parts.slice(fields).join(":")}` : "";
    const marker = /[#~]/.exec(head);
    if (marker) {
      rest = head.slice(marker.index) + rest;
      head = head.slice(0, marker.index);
    }
  } else {
    const marker = /[#:~]/.exec(text);
    if (marker) {
      head = text.slice(0, marker.index);
      rest = text.slice(marker.index);
    }
  }
  if (head === "") throw inputError(`"${text}" names no secret`);
  return { name: head, selector: rest === "" ? {} : parseVersionSpec(rest, text) };
}

/**
 * One version on its own: `#ID`, `:STAGE_OR_LABEL`, `~N`, or a bare word: a number is an
 * SSM version, a 32-64 character id a version id, anything else a stage or label.
 */
export function parseVersionSpec(spec: string, context = spec): VersionSelector {
  const kind = spec[0];
  const body = spec.slice(1);
  if (kind === "#") {
    if (body === "") throw inputError(`"${context}": no version id after "#"`);
    return { versionId: body };
  }
  if (kind === "~") {
    if (!/^\d+$/.test(body)) throw inputError(`"${context}": "~" takes a number of versions back, e.g. ~1`);
    return { back: Number(body) };
  }
  if (kind === ":") {
    if (body === "") throw inputError(`"${context}": no stage or label after ":"`);
    return /^\d+$/.test(body) ? { version: Number(body) } : { stage: body };
  }
  if (/^\d+$/.test(spec)) return { version: Number(spec) };
  if (/^[0-9a-fA-F-]{32,64}$/.test(spec)) return { versionId: spec };
  return { stage: spec };
}

export function isCurrent(selector: VersionSelector): boolean {
  return (
    selector.versionId === undefined &&
    selector.version === undefined &&
    selector.label === undefined &&
    (selector.stage === undefined || selector.stage === "AWSCURRENT") &&
    !selector.back
  );
}

/** How a selector reads in messages: `AWSCURRENT`, `#ab12...`, `~2`, `:3`. */
export function describeSelector(selector: VersionSelector): string {
  if (selector.versionId !== undefined) return `#${selector.versionId}`;
  if (selector.version !== undefined) return `:${selector.version}`;
  if (selector.back) return `~${selector.back}`;
  return selector.label ?? selector.stage ?? "AWSCURRENT";
}

/** Merges the version flags of `secrets get` into one selector; more than one is an error. */
export function selectorFromFlags(flags: { versionId?: string; stage?: string; version?: string; label?: string }, fromName: VersionSelector): VersionSelector {
  const given: VersionSelector[] = [];
  if (Object.keys(fromName).length > 0) given.push(fromName);
  if (flags.versionId !== undefined) given.push({ versionId: flags.versionId });
  if (flags.stage !== undefined) given.push({ stage: flags.stage });
  if (flags.label !== undefined) given.push({ label: flags.label });
  if (flags.version !== undefined) {
    if (!/^\d+$/.test(flags.version)) throw inputError(`--version takes an SSM version number (got "${flags.version}")`);
    given.push({ version: Number(flags.version) });
  }
  if (given.length > 1) throw inputError("name one version only: a selector in the name, --version-id, --stage, --version or --label");
  return given[0] ?? {};
}
