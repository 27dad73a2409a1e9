/** Composes the bootstrap stacks from a validated config; main.ts, the tests and the bench share it. */
import type { App } from "cdktf";
import type { Config } from "../core/config.ts";
import { AccessStack } from "./access-stack.ts";
import { MonitoringStack } from "./monitoring-stack.ts";
import { SecretsStack } from "./secrets-stack.ts";
import { StateStack } from "./state-stack.ts";

export interface BootstrapStacks {
  state: StateStack;
  secrets: SecretsStack;
  access: AccessStack;
  monitoring?: MonitoringStack;
}

export function addBootstrapStacks(app: App, config: Config): BootstrapStacks {
  return {
    state: new StateStack(app, config),
    secrets: new SecretsStack(app, config),
    access: new AccessStack(app, config),
    ...(config.monitoring.deletedSecretAccessAlarm ? { monitoring: new MonitoringStack(app, config) } : {}),
  };
}
