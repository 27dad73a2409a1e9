/**
 * An SSM SecureString parameter encrypted with the secrets key; the Advanced tier only when
 * the declared value size can exceed the Standard tier's 4 KB. Terraform writes a
 * placeholder once and never looks at the value again: the real value is put by vaultlift.
 */
import { Construct } from "constructs";
import { SsmParameter } from "@cdktf/provider-aws/lib/ssm-parameter/index.js";
import type { ResolvedSecret } from "../../core/config.ts";
import { secretTags } from "./secret-container.ts";

export interface SecureParameterProps {
  secret: ResolvedSecret;
  /** KMS key id or alias. */
  kmsKeyId: string;
  /** Write the placeholder through the write-only `value_wo` (Terraform >= 1.11). */
  writeOnly: boolean;
}

export const STANDARD_TIER_MAX_BYTES = 4096;
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
      ...(props.writeOnly
        ? { valueWo: PLACEHOLDER_VALUE, valueWoVersion: 1 }
        : { value: PLACEHOLDER_VALUE, lifecycle: { ignoreChanges: ["value"] } }),
    });
  }
}
