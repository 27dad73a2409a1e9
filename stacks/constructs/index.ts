/**
 * `vaultlift/constructs`: the cdktf constructs the bootstrap stacks are built from, for
 * composing them into stacks of your own (cdktf, constructs and @cdktf/provider-* are peers),
 * and the stacks themselves with `addBootstrapStacks` for a validated vaultlift config.
 */
export * from "./deleted-secret-access-alarm.ts";
export * from "./encryption-key.ts";
export * from "./lock-table.ts";
export * from "./random-secret.ts";
export * from "./rotation-schedule.ts";
export * from "./secret-container.ts";
export * from "./secure-parameter.ts";
export * from "./state-bucket.ts";
export * from "./team-access.ts";
export * from "./third-party-secret.ts";
export { addBootstrapStacks, type BootstrapStacks } from "../app.ts";
export { loadConfig, type Config } from "../../core/config.ts";
