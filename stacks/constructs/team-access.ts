/** A team's IAM groups (readers, writers, admins, auditors), each with its scoped inline policy. */
import { Construct } from "constructs";
import { IamGroup } from "@cdktf/provider-aws/lib/iam-group/index.js";
import { IamGroupPolicy } from "@cdktf/provider-aws/lib/iam-group-policy/index.js";
import type { GroupRole } from "../../core/config.ts";
import { rolePolicy, type TeamScope } from "../access-policies.ts";

export interface TeamAccessProps {
  scope: TeamScope;
  roles: readonly GroupRole[];
  /** Group name for a role, from the naming module. */
  groupName: (role: GroupRole) => string;
  groupPath: string;
}

export class TeamAccess extends Construct {
  readonly groups = new Map<GroupRole, IamGroup>();

  constructor(scope: Construct, id: string, props: TeamAccessProps) {
    super(scope, id);
    for (const role of props.roles) {
      const group = new IamGroup(this, role, { name: props.groupName(role), path: props.groupPath });
      new IamGroupPolicy(this, `${role}-policy`, {
        group: group.name,
        name: `vaultlift-${role}`,
        policy: JSON.stringify(rolePolicy(role, props.scope)),
      });
      this.groups.set(role, group);
    }
  }
}
