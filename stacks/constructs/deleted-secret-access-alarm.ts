/**
 * An alarm when someone tries to read a secret that is scheduled for deletion, the signal
 * AWS recommends watching before a deletion becomes final: someone still depends on it.
 * Of AWS's two documented recipes this follows the EventBridge one: a rule on the failed
 * GetSecretValue that CloudTrail delivers as a read-only management event (so the rule must
 * opt in to those) publishes each event to an SNS topic, one notification per attempt that
 * names the caller and the secret. The other recipe (a trail delivering to CloudWatch Logs,
 * a metric filter and an alarm) needs a log group fed by the account's trail, which the
 * bootstrap does not own, and notifies per alarm state change rather than per attempt.
 */
import { Construct } from "constructs";
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule/index.js";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target/index.js";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic/index.js";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy/index.js";

/** Services that publish to the alarm topic; the key policy lets them use the key when the topic is ours. */
export const DELETED_SECRET_ALARM_SERVICES = ["events.amazonaws.com"];

export interface DeletedSecretAccessAlarmProps {
  /** Prefix of the rule and topic names. */
  namePrefix: string;
  /** Existing topic to notify; without one a topic encrypted with `kmsKeyId` is created. */
  snsTopicArn?: string;
  kmsKeyId: string;
}

/** The pattern of a GetSecretValue refused because the secret is marked for deletion. */
export const DELETED_SECRET_ACCESS_PATTERN = {
  source: ["aws.secretsmanager"],
  "detail-type": ["AWS API Call via CloudTrail"],
  detail: {
    eventSource: ["secretsmanager.amazonaws.com"],
    eventName: ["GetSecretValue"],
    errorMessage: [{ wildcard: "*marked for deletion*" }],
  },
};

export class DeletedSecretAccessAlarm extends Construct {
  readonly rule: CloudwatchEventRule;
  readonly topicArn: string;

  constructor(scope: Construct, id: string, props: DeletedSecretAccessAlarmProps) {
    super(scope, id);
    this.rule = new CloudwatchEventRule(this, "rule", {
      name: `${props.namePrefix}-deleted-secret-access`,
      description: "GetSecretValue on a secret scheduled for deletion: restore it or find who still uses it",
      eventPattern: JSON.stringify(DELETED_SECRET_ACCESS_PATTERN),
      // GetSecretValue is read-only; rules see read-only CloudTrail events only in this state.
      state: "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS",
    });

    if (props.snsTopicArn) {
      this.topicArn = props.snsTopicArn;
    } else {
      const topic = new SnsTopic(this, "topic", { name: `${props.namePrefix}-secrets-alerts`, kmsMasterKeyId: props.kmsKeyId });
      new SnsTopicPolicy(this, "topic-policy", {
        arn: topic.arn,
        policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "EventBridgeRule",
              Effect: "Allow",
              Principal: { Service: "events.amazonaws.com" },
              Action: "sns:Publish",
              Resource: topic.arn,
              Condition: { ArnEquals: { "aws:SourceArn": this.rule.arn } },
            },
          ],
        }),
      });
      this.topicArn = topic.arn;
    }

    new CloudwatchEventTarget(this, "target", { rule: this.rule.name, arn: this.topicArn });
  }
}
