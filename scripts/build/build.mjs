// `npm run build`: tsc compiles core/, scripts/ and stacks/ to dist/ with declarations, then
// esbuild bundles the CLI into dist/cli/ (commands and SDK packages split into chunks loaded on
// first use): a start without resolving hundreds of files. The library stays unbundled.
import { spawnSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const tsc = spawnSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.build.json"], { stdio: "inherit" });
if (tsc.status !== 0) {
  // Without dev dependencies (npm ci --omit=dev) the type declarations are missing; tsc still emits.
  const { devDependencies } = require("../../package.json");
  const devInstall = Object.keys(devDependencies).every((name) => existsSync(`node_modules/${name}/package.json`));
  if (devInstall || tsc.status === null) process.exit(tsc.status ?? 1);
  console.error("build: dev dependencies are not installed: compiled without type checking");
}
const esbuild = await import("esbuild").catch((error) => {
  if (error.code !== "ERR_MODULE_NOT_FOUND") throw error;
  console.error("build: esbuild is not installed (a dev dependency): the CLI runs unbundled from dist/scripts/");
  return undefined;
});

// Chunk names carry content hashes: start empty so old chunks do not pile up.
if (esbuild) rmSync("dist/cli", { recursive: true, force: true });
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
