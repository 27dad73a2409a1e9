/** The access stack: for each team, IAM groups scoped to the team's name prefix. */
import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider/index.js";
import type { Config } from "../core/config.ts";
import { requireTerraform, useRemoteBackend } from "./backend.ts";
import { TeamAccess } from "./constructs/team-access.ts";
import { defaultTags, groupName, namePrefix, prefixArns, STACK_NAMES, teamPrefix } from "./names.ts";

export class AccessStack extends TerraformStack {
  readonly teams = new Map<string, TeamAccess>();

  constructor(scope: Construct, config: Config) {
    super(scope, STACK_NAMES.access);
    useRemoteBackend(this, config, STACK_NAMES.access);
    requireTerraform(this, config);
    new AwsProvider(this, "aws", { region: config.region, defaultTags: [{ tags: defaultTags(config) }] });

    const orgPrefix = namePrefix(config.template, { org: config.org });
    for (const team of config.teams) {
      const arns = prefixArns(config, teamPrefix(config, team.name));
      const access = new TeamAccess(this, `team-${team.name}`, {
        scope: {
          team: team.name,
          secretsArn: arns.secrets,
          parametersArn: arns.parameters,
          parameterPathArn: arns.parameterPath,
          ...(orgPrefix ? { orgArns: prefixArns(config, orgPrefix) } : {}),
          kmsAlias: config.kms.alias,
          accountId: config.accountId ?? "*",
          tagConditions: team.tagConditions,
          rotationFunctions: [...new Set(config.secrets.flatMap((secret) => (secret.team === team.name && secret.rotation ? [secret.rotation.lambdaArn] : [])))].sort(),
        },
        roles: team.groups,
        groupName: (role) => groupName(config, team.name, role),
        groupPath: `/vaultlift/${config.org}/`,
      });
      this.teams.set(team.name, access);
    }
  }
}
