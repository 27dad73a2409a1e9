/** The cdktf app: synthesizes the bootstrap stacks from vaultlift.yaml (or $VAULTLIFT_CONFIG). */
import { App } from "cdktf";
import { DEFAULT_CONFIG_FILE, loadConfig } from "./core/config.ts";
import { VaultliftError } from "./core/errors.ts";
import { addBootstrapStacks } from "./stacks/app.ts";

try {
  const config = loadConfig(process.env.VAULTLIFT_CONFIG ?? DEFAULT_CONFIG_FILE);
  const app = new App();
  addBootstrapStacks(app, config);
  app.synth();
} catch (error) {
  if (!(error instanceof VaultliftError)) throw error;
  console.error(`vaultlift: ${error.message}`);
  for (const line of error.details) console.error(`  ${line}`);
  process.exit(error.exitCode);
}
