import { beforeAll, describe, expect, it } from "vitest";
import { exampleConfig, resources, synthesize, type Synthesized } from "./synth.ts";

describe("monitoring stack", () => {
  let stacks: Synthesized;
  beforeAll(() => {
    stacks = synthesize(exampleConfig());
  });

  it("matches a GetSecretValue refused because the secret is marked for deletion, read-only events included", () => {
    const [rule] = resources(stacks.monitoring ?? { terraform: {} }, "aws_cloudwatch_event_rule");
    expect(rule?.state).toBe("ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS");
    expect(JSON.parse(String(rule?.event_pattern))).toEqual({
      source: ["aws.secretsmanager"],
      "detail-type": ["AWS API Call via CloudTrail"],
      detail: { eventSource: ["secretsmanager.amazonaws.com"], eventName: ["GetSecretValue"], errorMessage: [{ wildcard: "*marked for deletion*" }] },
    });
  });

  it("sends one notification per attempt: the rule's target is the only publisher to the topic", () => {
    const monitoring = stacks.monitoring ?? { terraform: {} };
    const [topic] = resources(monitoring, "aws_sns_topic");
    expect(topic?.kms_master_key_id).toBe("alias/acme-secrets");
    const topicArn = `\${aws_sns_topic.${Object.keys(monitoring.resource?.aws_sns_topic ?? {})[0]}.arn}`;
    const ruleArn = `\${aws_cloudwatch_event_rule.${Object.keys(monitoring.resource?.aws_cloudwatch_event_rule ?? {})[0]}.arn}`;
    expect(resources(monitoring, "aws_cloudwatch_event_target").map((target) => target.arn)).toEqual([topicArn]);
    expect(resources(monitoring, "aws_cloudwatch_metric_alarm")).toEqual([]);
    const policy = JSON.parse(String(resources(monitoring, "aws_sns_topic_policy")[0]?.policy)) as { Statement: { Principal: unknown; Condition: unknown }[] };
    expect(policy.Statement).toEqual([expect.objectContaining({ Principal: { Service: "events.amazonaws.com" }, Condition: { ArnEquals: { "aws:SourceArn": ruleArn } } })]);
  });

  it("uses a configured topic instead, and the key policy then grants no service", () => {
    const withTopic = synthesize(exampleConfig({ "monitoring.snsTopicArn": "arn:aws:sns:eu-west-1:123456789012:oncall" }));
    expect(resources(withTopic.monitoring ?? { terraform: {} }, "aws_sns_topic")).toEqual([]);
    expect(resources(withTopic.monitoring ?? { terraform: {} }, "aws_cloudwatch_event_target").map((target) => target.arn)).toEqual(["arn:aws:sns:eu-west-1:123456789012:oncall"]);
    const keyPolicy = JSON.parse(String(resources(withTopic.state, "aws_kms_key")[0]?.policy)) as { Statement: { Sid: string }[] };
    expect(keyPolicy.Statement.map((statement) => statement.Sid)).not.toContain("AlarmNotifications");
  });

  it("is left out when the config does not ask for it", () => {
    expect(synthesize(exampleConfig({ "monitoring.deletedSecretAccessAlarm": false })).monitoring).toBeUndefined();
  });
});
