// Worker threads start without the tsx loader the CLI and vitest use; register it, then run the TypeScript worker.
import { register } from "tsx/esm/api";

register();
await import("./worker.ts");
