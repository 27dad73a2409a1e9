/**
 * A secret whose value Terraform generates (length, classes and minimums from the
 * config). By default the password comes from an `ephemeral "random_password"` block and
 * reaches Secrets Manager through the write-only `secret_string_wo`, so it is never in
 * plan or state; bumping `random.version` writes a new one. `writeOnly: false` keeps the
 * classic `random_password` resource and `secret_string` for Terraform older than 1.11,
 * at the price of the value sitting in state.
 */
import { Construct } from "constructs";
import { Fn, TerraformStack } from "cdktf";
import type { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret/index.js";
import { SecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/secretsmanager-secret-version/index.js";
import { Password } from "@cdktf/provider-random/lib/password/index.js";
import type { RandomSpec } from "../../core/config.ts";
import { RotationSchedule } from "./rotation-schedule.ts";
import { SecretContainer, type SecretContainerProps } from "./secret-container.ts";

export interface RandomSecretProps extends SecretContainerProps {
  /** Ephemeral password and write-only version (Terraform >= 1.11). */
  writeOnly: boolean;
  /** Terraform name of the ephemeral block, unique in the stack. */
  ephemeralName: string;
}

export class RandomSecret extends Construct {
  readonly secret: SecretsmanagerSecret;
  readonly version: SecretsmanagerSecretVersion;

  constructor(scope: Construct, id: string, props: RandomSecretProps) {
    super(scope, id);
    const spec = props.secret;
    if (spec.kind !== "random" || !spec.random) throw new Error(`RandomSecret given a ${spec.kind} secret (${spec.fullName})`);
    const random = spec.random;
    this.secret = new SecretContainer(this, "container", props).secret;

    if (props.writeOnly) {
      // cdktf 0.21 has no ephemeral construct: the block goes in through the stack's escape hatch.
      TerraformStack.of(this).addOverride(`ephemeral.random_password.${props.ephemeralName}`, passwordArguments(random));
      const password = `ephemeral.random_password.${props.ephemeralName}.result`;
      const value = random.jsonKey === undefined ? `\${${password}}` : `\${jsonencode({${hclString(random.jsonKey)} = ${password}})}`;
      this.version = new SecretsmanagerSecretVersion(this, "version", {
        secretId: this.secret.id,
        secretStringWo: value,
        secretStringWoVersion: random.version,
      });
    } else {
      const password = new Password(this, "password", {
        length: random.length,
        upper: random.upper,
        lower: random.lower,
        numeric: random.numeric,
        special: random.special,
        minUpper: random.minUpper,
        minLower: random.minLower,
        minNumeric: random.minNumeric,
        minSpecial: random.minSpecial,
        overrideSpecial: random.overrideSpecial,
        keepers: { version: String(random.version) },
      });
      this.version = new SecretsmanagerSecretVersion(this, "version", {
        secretId: this.secret.id,
        secretString: random.jsonKey === undefined ? password.result : Fn.jsonencode({ [random.jsonKey]: password.result }),
      });
    }
    if (spec.rotation) new RotationSchedule(this, "rotation", { secret: this.secret, ...spec.rotation, firstValue: this.version });
  }
}

/** The `random_password` arguments in Terraform's own names. */
function passwordArguments(random: RandomSpec): Record<string, unknown> {
  return {
    length: random.length,
    upper: random.upper,
    lower: random.lower,
    numeric: random.numeric,
    special: random.special,
    min_upper: random.minUpper,
    min_lower: random.minLower,
    min_numeric: random.minNumeric,
    min_special: random.minSpecial,
    ...(random.overrideSpecial === undefined ? {} : { override_special: random.overrideSpecial }),
  };
}

/** A quoted HCL string; JSON escapes are valid HCL, and `${`/`%{` must not start a template. */
function hclString(text: string): string {
  return JSON.stringify(text).replaceAll("${", "$${").replaceAll("%{", "%%{");
}
