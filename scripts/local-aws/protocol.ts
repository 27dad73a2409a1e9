/**
 * What both JSON 1.1 services share: the error type the handlers throw (it becomes an
 * `{"__type", "message"}` body with its HTTP status), request-field checks that answer
 * like the AWS model validation does, and opaque paging tokens.
 */

export class AwsError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export type Input = Record<string, unknown>;

/** Context of one request: the region comes from the SigV4 credential scope. */
export interface RequestContext {
  region: string;
  now: number;
}

export const ACCOUNT_ID = "000000000000";

export function validationError(message: string): AwsError {
  return new AwsError("ValidationException", `1 validation error detected: ${message}`);
}

export function optionalString(input: Input, field: string): string | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw new AwsError("SerializationException", `${field} must be a string`);
  return value;
}

export function requiredString(input: Input, field: string): string {
  const value = optionalString(input, field);
  if (value === undefined) throw validationError(`Value null at '${lowerFirst(field)}' failed to satisfy constraint: Member must not be null`);
  return value;
}

export function optionalNumber(input: Input, field: string): number | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value)) throw new AwsError("SerializationException", `${field} must be a number`);
  return value;
}

export function optionalBoolean(input: Input, field: string): boolean | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "boolean") throw new AwsError("SerializationException", `${field} must be a boolean`);
  return value;
}

export function optionalStringList(input: Input, field: string): string[] | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((item) => typeof item !== "string")) throw new AwsError("SerializationException", `${field} must be a list of strings`);
  return value as string[];
}

export function optionalObjectList(input: Input, field: string): Input[] | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((item) => typeof item !== "object" || item === null)) {
    throw new AwsError("SerializationException", `${field} must be a list of structures`);
  }
  return value as Input[];
}

export function checkLength(field: string, value: string | undefined, min: number, max: number): void {
  if (value === undefined) return;
  if (value.length < min) throw validationError(`Value at '${lowerFirst(field)}' failed to satisfy constraint: Member must have length greater than or equal to ${min}`);
  if (value.length > max) throw validationError(`Value at '${lowerFirst(field)}' failed to satisfy constraint: Member must have length less than or equal to ${max}`);
}

export function checkRange(field: string, value: number | undefined, min: number, max: number): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < min) throw validationError(`Value '${value}' at '${lowerFirst(field)}' failed to satisfy constraint: Member must have value greater than or equal to ${min}`);
  if (value > max) throw validationError(`Value '${value}' at '${lowerFirst(field)}' failed to satisfy constraint: Member must have value less than or equal to ${max}`);
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** Paging tokens are opaque to clients; the services tell a bad one apart from a good one. */
export function encodeToken(cursor: string): string {
  return Buffer.from(JSON.stringify({ c: cursor }), "utf8").toString("base64url");
}

export function decodeToken(token: string | undefined, invalid: () => AwsError): string | undefined {
  if (token === undefined) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { c?: unknown };
    if (typeof parsed.c !== "string") throw new Error("no cursor");
    return parsed.c;
  } catch {
    throw invalid();
  }
}

/** Dates travel as epoch seconds in the JSON protocols. */
export function epochSeconds(ms: number): number {
  return Math.round(ms) / 1000;
}
