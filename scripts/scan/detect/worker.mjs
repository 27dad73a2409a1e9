// Worker threads start without the TypeScript loader the CLI and vitest use. As the build does for dist/cli/worker.js,
// bundle the worker with esbuild and run the bundle: a third of the start-up of registering tsx in each worker.
import { fileURLToPath } from "node:url";

const source = new URL("./worker.ts", import.meta.url);
const esbuild = await import("esbuild").catch(() => undefined);
if (esbuild) {
  const { outputFiles } = await esbuild.build({ entryPoints: [fileURLToPath(source)], bundle: true, write: false, format: "esm", platform: "node", target: "node20", logLevel: "silent" });
  await esbuild.stop();
  await import(`data:text/javascript;base64,${Buffer.from(outputFiles[0].text).toString("base64")}`);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import(source.href);
}
