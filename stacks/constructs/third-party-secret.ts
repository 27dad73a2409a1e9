/**
 * A secret whose value comes from outside (an API key, a vendor token): Terraform owns
 * only the container. The value is put by `vaultlift migrate` or `vaultlift secrets
 * update` and so never passes through Terraform state.
 */
import { Construct } from "constructs";
import type { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret/index.js";
import { RotationSchedule } from "./rotation-schedule.ts";
import { SecretContainer, type SecretContainerProps } from "./secret-container.ts";

export type ThirdPartySecretProps = SecretContainerProps;

export class ThirdPartySecret extends Construct {
  readonly secret: SecretsmanagerSecret;

  constructor(scope: Construct, id: string, props: ThirdPartySecretProps) {
    super(scope, id);
    if (props.secret.kind !== "third-party") throw new Error(`ThirdPartySecret given a ${props.secret.kind} secret (${props.secret.fullName})`);
    this.secret = new SecretContainer(this, "container", props).secret;
    if (props.secret.rotation) new RotationSchedule(this, "rotation", { secret: this.secret, ...props.secret.rotation });
  }
}
