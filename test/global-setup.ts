/** The CLI tests run the compiled `bin/vaultlift.js`, as users do: build first (incremental, so a second run takes seconds). */
import { execFileSync } from "node:child_process";
import path from "node:path";

export default function setup(): void {
  const root = path.resolve(import.meta.dirname, "..");
  execFileSync("npm", ["run", "--silent", "build"], { cwd: root, stdio: "inherit" });
}
