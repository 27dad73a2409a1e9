/**
 * `npm run local-aws -- --port 4566`: the local endpoint in the foreground, for manual
 * use and the demo. Prints the endpoint and the environment to export; Ctrl-C stops it.
 */
import { parseArgs } from "node:util";
import { startLocalAws } from "./index.ts";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "4566" },
    host: { type: "string", default: "127.0.0.1" },
    "no-s3": { type: "boolean", default: false },
  },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`local-aws: --port must be a port number, got "${values.port}"`);
  process.exit(2);
}

const aws = await startLocalAws({ port, host: values.host, s3: !values["no-s3"] });
console.log(`local AWS endpoint (Secrets Manager, SSM${values["no-s3"] ? "" : ", S3"}) at ${aws.endpoint}`);
console.log("export these to point the aws CLI or vaultlift at it:");
for (const [key, value] of Object.entries(aws.env())) console.log(`  export ${key}=${value}`);
console.log("Ctrl-C to stop.");

let stopping = false;
const stop = (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping; calls served: ${JSON.stringify(aws.counters.byOperation())}`);
  aws.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
};
process.on("SIGINT", () => stop("SIGINT"));
process.on("SIGTERM", () => stop("SIGTERM"));
