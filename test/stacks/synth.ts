/** Test helpers: synthesize the bootstrap stacks from config text and read them as parsed JSON. */
import { readFileSync } from "node:fs";
import { Testing, type TerraformStack } from "cdktf";
import { parseDocument } from "yaml";
import { parseConfig, type Config } from "../../core/config.ts";
import { addBootstrapStacks } from "../../stacks/app.ts";

export type TerraformJson = {
  terraform: { backend?: Record<string, Record<string, unknown>>; required_version?: string };
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  ephemeral?: Record<string, Record<string, Record<string, unknown>>>;
  provider?: Record<string, unknown[]>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
};

export const EXAMPLE_CONFIG = readFileSync(new URL("../../vaultlift.yaml", import.meta.url), "utf8");

/** The example config with keys replaced (`{ "terraform.ephemeralRandom": false }`) or removed (`undefined`). */
export function exampleConfig(changes: Record<string, unknown> = {}): Config {
  const doc = parseDocument(EXAMPLE_CONFIG);
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) doc.deleteIn(key.split("."));
    else doc.setIn(key.split("."), value);
  }
  return parseConfig(doc.toString(), "vaultlift.yaml");
}

export interface Synthesized {
  state: TerraformJson;
  secrets: TerraformJson;
  access: TerraformJson;
  monitoring?: TerraformJson;
}

export function synthesize(config: Config): Synthesized {
  const stacks = addBootstrapStacks(Testing.app(), config);
  const read = (stack: TerraformStack) => JSON.parse(Testing.synth(stack)) as TerraformJson;
  return {
    state: read(stacks.state),
    secrets: read(stacks.secrets),
    access: read(stacks.access),
    ...(stacks.monitoring ? { monitoring: read(stacks.monitoring) } : {}),
  };
}

/** Every resource of a type, without cdktf's metadata. */
export function resources(json: TerraformJson, type: string): Record<string, unknown>[] {
  return Object.values(json.resource?.[type] ?? {}).map(({ "//": _metadata, ...rest }) => rest);
}

/** The one resource of a type whose `key` property equals `value`. */
export function resourceWhere(json: TerraformJson, type: string, key: string, value: unknown): Record<string, unknown> {
  const found = resources(json, type).filter((resource) => resource[key] === value);
  if (found.length !== 1) throw new Error(`expected one ${type} with ${key} = ${String(value)}, found ${found.length}`);
  return found[0] as Record<string, unknown>;
}

/** Every [path, value] pair of a JSON value, for assertions over a whole stack. */
export function* walk(value: unknown, path: string[] = []): Generator<[string[], unknown]> {
  yield [path, value];
  if (value && typeof value === "object") {
    for (const [key, child] of Object.entries(value)) yield* walk(child, [...path, key]);
  }
}
