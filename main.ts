/** The cdktf app: synthesizes the bootstrap stacks from vaultlift.yaml. */
import { App, TerraformStack } from "cdktf";
import { loadConfig } from "./core/config.ts";

const config = loadConfig(process.env.VAULTLIFT_CONFIG ?? "vaultlift.yaml");
const app = new App();
new TerraformStack(app, `${config.org}-placeholder`);
app.synth();
