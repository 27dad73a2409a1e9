// The CLI as one ES module graph in dist/cli/ (commands and SDK packages split into chunks
// loaded on first use): a start without resolving hundreds of files. The library stays unbundled.
const esbuild = await import("esbuild").catch((error) => {
  if (error.code !== "ERR_MODULE_NOT_FOUND") throw error;
  console.error("build: esbuild is not installed (a dev dependency): the CLI runs unbundled from dist/scripts/");
  return undefined;
});

await esbuild?.build({
  entryPoints: { cli: "dist/scripts/cli.js", worker: "dist/scripts/scan/detect/worker.js" },
  outdir: "dist/cli",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  // The SDK's ES module builds: dynamic import() of the CommonJS ones would hide their named exports.
  mainFields: ["module", "main"],
  // s3rver (local-aws) is loaded from node_modules; cdktf and the providers are peers the CLI never loads.
  external: ["s3rver", "cdktf", "constructs", "@cdktf/*"],
  // Bundled CommonJS dependencies call require() for Node's own modules.
  banner: { js: "import { createRequire as __vaultliftRequire } from 'node:module'; const require = __vaultliftRequire(import.meta.url);" },
  logLevel: "warning",
});
