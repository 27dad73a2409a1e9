#!/usr/bin/env node
import { register } from "tsx/esm/api";

// The pinned SDK warns that its future releases will need Node 22; stderr is for our messages.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
register();
const { main } = await import("../scripts/cli.ts");
process.exitCode = await main(process.argv);
