#!/usr/bin/env node
// The pinned SDK warns that its future releases will need Node 22; stderr is for our messages.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
// `vaultlift secrets list | head`: the reader has gone, so stop quietly as other tools do.
process.stdout.on("error", (error) => {
  if (error.code !== "EPIPE") throw error;
  process.exit(process.exitCode ?? 0);
});
const { main } = await import("../dist/scripts/cli.js");
process.exitCode = await main(process.argv);
