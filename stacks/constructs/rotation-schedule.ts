/**
 * The rotation schedule of a secret with a rotation Lambda. Rotation must not start before
 * the secret has an AWSCURRENT value: with the version that writes the first value, the
 * schedule is created after it and rotates at once (Secrets Manager's default); without one
 * (a third-party secret, whose value vaultlift puts later) the first rotation waits for the
 * schedule, and Secrets Manager only runs the function's testSecret step on creation.
 */
import { Construct } from "constructs";
import type { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret/index.js";
import { SecretsmanagerSecretRotation } from "@cdktf/provider-aws/lib/secretsmanager-secret-rotation/index.js";
import type { SecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/secretsmanager-secret-version/index.js";

export interface RotationScheduleProps {
  secret: SecretsmanagerSecret;
  lambdaArn: string;
  days: number;
  /** The version that writes the first value, when Terraform writes one. */
  firstValue?: SecretsmanagerSecretVersion;
}

export class RotationSchedule extends Construct {
  readonly rotation: SecretsmanagerSecretRotation;

  constructor(scope: Construct, id: string, props: RotationScheduleProps) {
    super(scope, id);
    this.rotation = new SecretsmanagerSecretRotation(this, "rotation", {
      secretId: props.secret.id,
      rotationLambdaArn: props.lambdaArn,
      rotationRules: { automaticallyAfterDays: props.days },
      ...(props.firstValue ? { dependsOn: [props.firstValue] } : { rotateImmediately: false }),
    });
  }
}
