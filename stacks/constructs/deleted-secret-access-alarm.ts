/**
 * An alarm when someone tries to read a secret that is scheduled for deletion, the signal
 * AWS recommends watching before a deletion becomes final: someone still depends on it.
 * An EventBridge rule matches the failed GetSecretValue that CloudTrail records (a
 * read-only management event, so the rule must opt in to those), sends each event to an
 * SNS topic, and a CloudWatch alarm on the rule's matches gives a state to watch.
 */
import { Construct } from "constructs";
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule/index.js";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target/index.js";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm/index.js";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic/index.js";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy/index.js";

/** Services that publish to the alarm topic; the key policy lets them use the key when the topic is ours. */
export const DELETED_SECRET_ALARM_SERVICES = ["cloudwatch.amazonaws.com", "events.amazonaws.com"];

export interface DeletedSecretAccessAlarmProps {
  /** Prefix of the rule, alarm and topic names. */
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
  readonly alarm: CloudwatchMetricAlarm;
  readonly topicArn: string;

  constructor(scope: Construct, id: string, props: DeletedSecretAccessAlarmProps) {
    super(scope, id);
    this.rule = new CloudwatchEventRule(this, "rule", {
      name: `${props.namePrefix}-deleted-secret-access`,
      description: "GetSecretValue on a secret scheduled for deletion",
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
            {
              Sid: "CloudWatchAlarm",
              Effect: "Allow",
              Principal: { Service: "cloudwatch.amazonaws.com" },
              Action: "sns:Publish",
              Resource: topic.arn,
            },
          ],
        }),
      });
      this.topicArn = topic.arn;
    }

    new CloudwatchEventTarget(this, "target", { rule: this.rule.name, arn: this.topicArn });
    this.alarm = new CloudwatchMetricAlarm(this, "alarm", {
      alarmName: `${props.namePrefix}-deleted-secret-access`,
      alarmDescription: "A secret scheduled for deletion was read: restore it or find who still uses it",
      namespace: "AWS/Events",
      metricName: "TriggeredRules",
      dimensions: { RuleName: this.rule.name },
      statistic: "Sum",
      period: 300,
      evaluationPeriods: 1,
      threshold: 1,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      treatMissingData: "notBreaching",
      alarmActions: [this.topicArn],
    });
  }
}
