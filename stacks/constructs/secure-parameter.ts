/**
 * An SSM SecureString parameter encrypted with the secrets key; the Advanced tier only when
 * the declared value size can exceed the Standard tier's 4 KB. Terraform writes a
 * placeholder once and never writes the parameter again: the real value is put by vaultlift.
 * hashicorp/aws updates a parameter with one PutParameter that carries every argument and
 * the value, and without a new `value_wo_version` that value is the one in state (none with
 * `value_wo`), so any later change Terraform would send (description, tier, key, type, a
 * new version number) could blank or overwrite a migrated value: all of them are ignored
 * after creation. Tags are updated through their own calls and stay managed.
 */
import { Construct } from "constructs";
import { SsmParameter } from "@cdktf/provider-aws/lib/ssm-parameter/index.js";
import type { ResolvedSecret } from "../../core/config.ts";
import { secretTags } from "./secret-container.ts";

export interface SecureParameterProps {
  secret: ResolvedSecret;
  /** KMS key id or alias (SSM reads an alias back as given). */
  kmsKeyId: string;
  /** Write the placeholder through the write-only `value_wo` (Terraform >= 1.11). */
  writeOnly: boolean;
}

export const STANDARD_TIER_MAX_BYTES = 4096;
/** Every argument whose change makes the provider call PutParameter (all but `overwrite` and tags). */
export const WRITTEN_ONCE = ["value", "value_wo_version", "insecure_value", "description", "tier", "key_id", "type", "allowed_pattern", "data_type", "arn"];
export const PLACEHOLDER_VALUE = "unset: put the value with vaultlift secrets update or vaultlift migrate";

export class SecureParameter extends Construct {
  readonly parameter: SsmParameter;

  constructor(scope: Construct, id: string, props: SecureParameterProps) {
    super(scope, id);
    const spec = props.secret;
    if (spec.kind !== "parameter") throw new Error(`SecureParameter given a ${spec.kind} secret (${spec.fullName})`);
    this.parameter = new SsmParameter(this, "parameter", {
      name: spec.fullName,
      type: "SecureString",
      keyId: props.kmsKeyId,
      tier: (spec.maxBytes ?? 0) > STANDARD_TIER_MAX_BYTES ? "Advanced" : "Standard",
      description: spec.description ?? `parameter of team ${spec.team}, managed by vaultlift`,
      tags: secretTags(spec),
      ...(props.writeOnly ? { valueWo: PLACEHOLDER_VALUE, valueWoVersion: 1 } : { value: PLACEHOLDER_VALUE }),
      lifecycle: { ignoreChanges: WRITTEN_ONCE },
    });
  }
}
