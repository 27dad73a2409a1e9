/**
 * A Secrets Manager secret without a value: name, description, tags, KMS key, recovery
 * window, replicas, and the optional resource policy. Random secrets add a version to it;
 * third-party secrets get their value from vaultlift. Each adds its own rotation schedule,
 * which must follow the first value.
 */
import { Construct } from "constructs";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret/index.js";
import { SecretsmanagerSecretPolicy } from "@cdktf/provider-aws/lib/secretsmanager-secret-policy/index.js";
import type { ResolvedSecret } from "../../core/config.ts";

export interface SecretContainerProps {
  secret: ResolvedSecret;
  /** KMS key id, not an alias; replicas use the same id in their region, where the multi-Region key's replica has it too. */
  kmsKeyId: string;
}

/** Secrets Manager's own default when DeleteSecret gives no window. */
const DEFAULT_RECOVERY_WINDOW_DAYS = 30;

export class SecretContainer extends Construct {
  readonly secret: SecretsmanagerSecret;

  constructor(scope: Construct, id: string, props: SecretContainerProps) {
    super(scope, id);
    const spec = props.secret;
    this.secret = new SecretsmanagerSecret(this, "secret", {
      name: spec.fullName,
      description: spec.description ?? `${spec.kind} secret of team ${spec.team}, managed by vaultlift`,
      kmsKeyId: props.kmsKeyId,
      recoveryWindowInDays: spec.recoveryWindowDays ?? DEFAULT_RECOVERY_WINDOW_DAYS,
      replica: spec.replicas.map((region) => ({ region, kmsKeyId: props.kmsKeyId })),
      tags: secretTags(spec),
    });

    if (spec.resourcePolicy) {
      new SecretsmanagerSecretPolicy(this, "policy", {
        secretArn: this.secret.arn,
        blockPublicPolicy: true,
        policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "SharedWithAccounts",
              Effect: "Allow",
              Principal: { AWS: spec.resourcePolicy.allowAccounts.map((account) => `arn:aws:iam::${account}:root`) },
              Action: spec.resourcePolicy.actions,
              Resource: "*",
            },
          ],
        }),
      });
    }
  }
}

/** The tags the access policies' tag conditions match on, plus the secret's own. */
export function secretTags(spec: ResolvedSecret): Record<string, string> {
  return { ...spec.tags, team: spec.team, env: spec.env, app: spec.app, "vaultlift:kind": spec.kind };
}
