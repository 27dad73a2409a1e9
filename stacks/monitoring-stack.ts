/** The monitoring stack (optional in the config): the alarm on access to secrets pending deletion. */
import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider/index.js";
import type { Config } from "../core/config.ts";
import { requireTerraform, useRemoteBackend } from "./backend.ts";
import { DeletedSecretAccessAlarm } from "./constructs/deleted-secret-access-alarm.ts";
import { defaultTags, STACK_NAMES } from "./names.ts";

export class MonitoringStack extends TerraformStack {
  readonly alarm: DeletedSecretAccessAlarm;

  constructor(scope: Construct, config: Config) {
    super(scope, STACK_NAMES.monitoring);
    useRemoteBackend(this, config, STACK_NAMES.monitoring);
    requireTerraform(this, config);
    new AwsProvider(this, "aws", { region: config.region, defaultTags: [{ tags: defaultTags(config) }] });
    this.alarm = new DeletedSecretAccessAlarm(this, "deleted-secret-access", {
      namePrefix: config.org,
      kmsKeyId: config.kms.alias,
      ...(config.monitoring.snsTopicArn ? { snsTopicArn: config.monitoring.snsTopicArn } : {}),
    });
  }
}
