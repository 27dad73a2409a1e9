#!/usr/bin/env node
// The pinned SDK warns that its future releases will need Node 22; stderr is for our messages.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
// `vaultlift secrets list | head`: the reader has gone, so stop quietly as other tools do.
process.stdout.on("error", (error) => {
  if (error.code !== "EPIPE") throw error;
  process.exit(process.exitCode ?? 0);
});
// The bundled CLI (npm run build); the plain compiled one where the bundler was not installed (npm ci --omit=dev).
const { main } = await import("../dist/cli/cli.js").catch((error) => {
  if (error.code !== "ERR_MODULE_NOT_FOUND" || !String(error.url ?? error.message).includes("dist/cli/cli.js")) throw error;
  return import("../dist/scripts/cli.js");
});
process.exitCode = await main(process.argv);
